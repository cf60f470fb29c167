# The libraries of core/ are compiled once, with hidden visibility, and linked twice:
#   <name>         a static archive that the programs and tests of this tree link (they reach
#                  internal classes too);
#   <name>-shared  lib<name>.so.<SOVERSION>, installed for C++ users as Plugboard::<ExportName>,
#                  exporting only what the installed headers mark with PLUGBOARD_<X>_EXPORT.
include(GenerateExportHeader)

if(PLUGBOARD_FUZZ)
    set(shared_default OFF) # fuzz targets link the static archives, built with the sanitizers
else()
    set(shared_default ON)
endif()
option(PLUGBOARD_SHARED_LIBRARIES "Also link the shared libraries installed for C++ users" ${shared_default})
set(PLUGBOARD_EXPORT_HEADER_DIR ${PROJECT_BINARY_DIR}/include)
# While the major version is 0 the ABI may change with every minor version, so the SONAME
# carries both.
if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(PLUGBOARD_SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
else()
    set(PLUGBOARD_SOVERSION ${PROJECT_VERSION_MAJOR})
endif()
set_property(GLOBAL PROPERTY PLUGBOARD_INSTALLED_LIBRARIES "")

# plugboard_add_library(<name> EXPORT_NAME <Name> SOURCES <files...>)
function(plugboard_add_library name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXPORT_NAME" "SOURCES")
    string(REPLACE "-" "_" base ${name})
    add_library(${name}-objects OBJECT ${arg_SOURCES})
    set_target_properties(${name}-objects PROPERTIES
        POSITION_INDEPENDENT_CODE ON CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
    generate_export_header(${name}-objects BASE_NAME ${base}
                           EXPORT_FILE_NAME ${PLUGBOARD_EXPORT_HEADER_DIR}/${base}_export.h)
    target_include_directories(${name}-objects PUBLIC
        $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}> $<BUILD_INTERFACE:${PLUGBOARD_EXPORT_HEADER_DIR}>)

    add_library(${name} STATIC $<TARGET_OBJECTS:${name}-objects>)
    add_library(Plugboard::${arg_EXPORT_NAME} ALIAS ${name})
    set(variants ${name})
    if(PLUGBOARD_SHARED_LIBRARIES)
        add_library(${name}-shared SHARED $<TARGET_OBJECTS:${name}-objects>)
        set_target_properties(${name}-shared PROPERTIES
            OUTPUT_NAME ${name} EXPORT_NAME ${arg_EXPORT_NAME}
            VERSION ${PROJECT_VERSION} SOVERSION ${PLUGBOARD_SOVERSION})
        target_link_options(${name}-shared PRIVATE LINKER:--no-undefined LINKER:--as-needed)
        list(APPEND variants ${name}-shared)
        set_property(GLOBAL APPEND PROPERTY PLUGBOARD_INSTALLED_LIBRARIES ${name}-shared)
    endif()
    foreach(variant ${variants})
        target_include_directories(${variant} PUBLIC
            $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}>
            $<BUILD_INTERFACE:${PLUGBOARD_EXPORT_HEADER_DIR}>
            $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/plugboard>)
    endforeach()
endfunction()

# plugboard_link_library(<name> [PLUGBOARD <plugboard libraries...>] [PUBLIC ...] [PRIVATE ...])
# Links the objects and both variants; a Plugboard library is linked in the matching variant.
function(plugboard_link_library name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "PLUGBOARD;PUBLIC;PRIVATE")
    target_link_libraries(${name}-objects PUBLIC ${arg_PLUGBOARD} ${arg_PUBLIC} PRIVATE ${arg_PRIVATE})
    target_link_libraries(${name} PUBLIC ${arg_PLUGBOARD} ${arg_PUBLIC} PRIVATE ${arg_PRIVATE})
    if(TARGET ${name}-shared)
        list(TRANSFORM arg_PLUGBOARD APPEND -shared)
        target_link_libraries(${name}-shared PUBLIC ${arg_PLUGBOARD} ${arg_PUBLIC} PRIVATE ${arg_PRIVATE})
    endif()
endfunction()

# plugboard_install_headers(<headers relative to the current source dir...>): the public headers,
# installed under include/plugboard/ keeping their folders (consumers write <sio/server.h>).
function(plugboard_install_headers)
    foreach(header ${ARGN})
        get_filename_component(dir ${header} DIRECTORY)
        install(FILES ${header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/plugboard/${dir}
                COMPONENT libplugboard-dev)
    endforeach()
endfunction()

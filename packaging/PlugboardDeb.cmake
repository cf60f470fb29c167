# cpack -G DEB (packaging/deb.sh): three packages from the install components. Descriptions:
# the first line is the summary; an empty line separates paragraphs.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME plugboard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Plugboard")
set(CPACK_PACKAGE_CONTACT "Plugboard maintainers <maintainers@plugboard.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL plugboard libplugboard libplugboard-dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_PLUGBOARD_PACKAGE_NAME plugboard)
set(CPACK_DEBIAN_PLUGBOARD_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PLUGBOARD_DESCRIPTION "Socket.IO v4 server with an operator console
Plugboard serves Socket.IO v4 clients (socket.io-client 4.x and the other
official clients) over HTTP long-polling and WebSocket: namespaces, rooms,
acknowledgements, binary, middleware, connection-state recovery and clusters
through Redis.

As a service (plugboard.service, configured in
/etc/plugboard/plugboard.json) it offers an HTTP API for backends, health
and metrics. Started from the desktop it opens the operator console, with a
server inside or attached to another one.")
set(CPACK_DEBIAN_PLUGBOARD_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postrm)
set(CPACK_DEBIAN_PLUGBOARD_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_LIBPLUGBOARD_PACKAGE_NAME libplugboard)
set(CPACK_DEBIAN_LIBPLUGBOARD_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIBPLUGBOARD_DESCRIPTION "Socket.IO v4 server and client libraries for Qt
The shared libraries of Plugboard: Plugboard::Core (the Socket.IO v4 server,
on Qt Core, Network and WebSockets), Plugboard::Client (the client) and
Plugboard::Redis (the cluster adapter).")
set(CPACK_DEBIAN_LIBPLUGBOARD_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/debian/triggers)
set(CPACK_DEBIAN_LIBPLUGBOARD_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_LIBPLUGBOARD-DEV_PACKAGE_NAME libplugboard-dev)
set(CPACK_DEBIAN_LIBPLUGBOARD-DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_LIBPLUGBOARD-DEV_PACKAGE_DEPENDS "qt6-base-dev (>= 6.4), qt6-websockets-dev (>= 6.4)")
set(CPACK_DEBIAN_LIBPLUGBOARD-DEV_DESCRIPTION "Socket.IO v4 server and client libraries for Qt (development files)
Headers, the CMake package (find_package(Plugboard)) and the pkg-config
files (plugboard-core, plugboard-client, plugboard-redis) for programs that
embed the Plugboard Socket.IO server or client.")
set(CPACK_COMPONENT_LIBPLUGBOARD-DEV_DEPENDS libplugboard)

include(CPack)

#pragma once

#include <plugboard_core_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QCborValue>
#include <QtCore/QString>

namespace Plugboard::Json {

// JSON <-> QCborValue, the value type used for every event argument. Objects keep their key
// order and output matches JavaScript's JSON.stringify byte for byte (compact, integers without
// ".0", shortest round-trip doubles, control characters as lowercase \u escapes), so clients
// see what Node's server would send.

struct PLUGBOARD_CORE_EXPORT ParseResult
{
    bool ok = false;
    QCborValue value;
    QString error;
};

// Parses one complete JSON text. Depth is bounded; invalid UTF-8 and trailing garbage fail.
PLUGBOARD_CORE_EXPORT ParseResult parse(QByteArrayView json);

// Appends the JSON text of value. Byte arrays are written as Node writes a Buffer
// ({"type":"Buffer","data":[...]}); undefined becomes null in arrays and is omitted in maps.
PLUGBOARD_CORE_EXPORT void write(const QCborValue &value, QByteArray &out);
PLUGBOARD_CORE_EXPORT QByteArray write(const QCborValue &value);

// Appends a double as JavaScript's Number.prototype.toString would write it (NaN/Infinity: null).
PLUGBOARD_CORE_EXPORT void writeNumber(double value, QByteArray &out);
// Appends a JSON string literal.
PLUGBOARD_CORE_EXPORT void writeString(QStringView text, QByteArray &out);
PLUGBOARD_CORE_EXPORT void writeString(QByteArrayView utf8, QByteArray &out);

} // namespace Plugboard::Json

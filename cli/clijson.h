#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace Plugboard::Cli {

// plugboard-cli's JSON: binary values are {"$binary": "<base64>"} both ways.
// error (when given) says which "$binary" was not base64; such values are left as they are.
QCborValue fromCliJson(const QCborValue &value, QString *error = nullptr);
QCborValue toCliJson(const QCborValue &value);

// One compact JSON line of value (binary as above).
QByteArray jsonLine(const QCborValue &value);

struct ParsedArguments
{
    QCborArray args;
    QString error;
};
// A JSON array of event arguments, as --emit takes them.
ParsedArguments parseArgumentArray(const QByteArray &json);
// The words of an interactive command: JSON values separated by spaces; a word that is not
// JSON is taken as a string ("emit chat hello {\"a\": 1}").
ParsedArguments parseArgumentWords(QStringView text);
// Splits text at spaces outside strings, brackets and braces.
QStringList splitWords(QStringView text);

} // namespace Plugboard::Cli

#pragma once

#include <QtCore/QCborArray>
#include <QtCore/QString>

namespace Plugboard {

// The emit composer's arguments: the text must be a JSON array, one element per argument.
// Objects of the single key "$hex" or "$base64" with a string value are binary arguments
// (JSON has no bytes), e.g. [{"$hex": "0102ff"}].
struct JsonArguments
{
    bool ok = false;
    QCborArray arguments;
    QString error;   // empty when ok
    int offset = -1; // character offset of the error, when known

    static JsonArguments parse(const QString &text);
};

} // namespace Plugboard

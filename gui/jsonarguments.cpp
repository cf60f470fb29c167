#include "jsonarguments.h"

#include <QtCore/QCborMap>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>

namespace Plugboard {

namespace {

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Returns false with error set when a binary marker is malformed.
bool convert(const QJsonValue &value, QCborValue *out, QString *error)
{
    if (value.isArray()) {
        QCborArray array;
        for (const QJsonValue &item : value.toArray()) {
            QCborValue converted;
            if (!convert(item, &converted, error))
                return false;
            array.append(converted);
        }
        *out = array;
        return true;
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.size() == 1) {
            const QString key = object.begin().key();
            const QJsonValue payload = object.begin().value();
            if (key == QLatin1String("$hex")) {
                const QByteArray hex = payload.toString().toLatin1();
                if (!payload.isString() || hex.size() % 2 != 0
                    || !std::all_of(hex.cbegin(), hex.cend(), isHexDigit)) {
                    *error = QStringLiteral("\"$hex\" needs a string of hex digit pairs");
                    return false;
                }
                *out = QByteArray::fromHex(hex);
                return true;
            }
            if (key == QLatin1String("$base64")) {
                const auto decoded = QByteArray::fromBase64Encoding(payload.toString().toLatin1(),
                                                                    QByteArray::AbortOnBase64DecodingErrors);
                if (!payload.isString() || !decoded) {
                    *error = QStringLiteral("\"$base64\" needs a base64 string");
                    return false;
                }
                *out = decoded.decoded;
                return true;
            }
        }
        QCborMap map;
        for (auto it = object.begin(); it != object.end(); ++it) {
            QCborValue converted;
            if (!convert(it.value(), &converted, error))
                return false;
            map.insert(it.key(), converted);
        }
        *out = map;
        return true;
    }
    *out = QCborValue::fromJsonValue(value);
    return true;
}

} // namespace

JsonArguments JsonArguments::parse(const QString &text)
{
    JsonArguments result;
    if (text.trimmed().isEmpty()) {
        result.ok = true; // no arguments
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // QJsonParseError::offset counts UTF-8 bytes; the editor counts characters.
        result.offset = int(QString::fromUtf8(text.toUtf8().left(parseError.offset)).size());
        result.error = QStringLiteral("%1 at character %2").arg(parseError.errorString()).arg(result.offset);
        return result;
    }
    if (!document.isArray()) {
        result.error = QStringLiteral("the arguments must be a JSON array, e.g. [\"hello\", {\"n\": 1}]");
        return result;
    }
    QCborValue converted;
    if (!convert(document.array(), &converted, &result.error))
        return result;
    result.arguments = converted.toArray();
    result.ok = true;
    return result;
}

} // namespace Plugboard

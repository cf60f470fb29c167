#include "clijson.h"

#include "protocol/jsoncodec.h"

#include <QtCore/QCborMap>

namespace Plugboard::Cli {

static const QString BinaryKey = QStringLiteral("$binary");

QCborValue fromCliJson(const QCborValue &value, QString *error)
{
    if (value.isMap()) {
        const QCborMap map = value.toMap();
        if (map.size() == 1 && map.value(BinaryKey).isString()) {
            const QString text = map.value(BinaryKey).toString();
            const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (decoded)
                return *decoded;
            if (error && error->isEmpty())
                *error = QStringLiteral("{\"$binary\": \"%1\"} is not base64").arg(text);
            return value;
        }
        QCborMap out;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            out.insert(it.key(), fromCliJson(it.value(), error));
        return out;
    }
    if (value.isArray()) {
        QCborArray out;
        for (const QCborValue &element : value.toArray())
            out.append(fromCliJson(element, error));
        return out;
    }
    return value;
}

QCborValue toCliJson(const QCborValue &value)
{
    if (value.isByteArray()) {
        QCborMap binary;
        binary.insert(BinaryKey, QString::fromLatin1(value.toByteArray().toBase64()));
        return binary;
    }
    if (value.isMap()) {
        QCborMap out;
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            out.insert(it.key(), toCliJson(it.value()));
        return out;
    }
    if (value.isArray()) {
        QCborArray out;
        for (const QCborValue &element : value.toArray())
            out.append(toCliJson(element));
        return out;
    }
    return value;
}

QByteArray jsonLine(const QCborValue &value)
{
    QByteArray line = Json::write(toCliJson(value));
    line += '\n';
    return line;
}

ParsedArguments parseArgumentArray(const QByteArray &json)
{
    const Json::ParseResult parsed = Json::parse(json);
    if (!parsed.ok)
        return {{}, QStringLiteral("not JSON: ") + parsed.error};
    if (!parsed.value.isArray())
        return {{}, QStringLiteral("the arguments must be a JSON array, as [\"hello\", 1]")};
    QString error;
    const QCborArray args = fromCliJson(parsed.value, &error).toArray();
    return {error.isEmpty() ? args : QCborArray(), error};
}

QStringList splitWords(QStringView text)
{
    QStringList words;
    QString current;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const QChar c : text) {
        if (inString) {
            current += c;
            if (escaped)
                escaped = false;
            else if (c == QLatin1Char('\\'))
                escaped = true;
            else if (c == QLatin1Char('"'))
                inString = false;
            continue;
        }
        if (c == QLatin1Char('"')) {
            inString = true;
        } else if (c == QLatin1Char('[') || c == QLatin1Char('{')) {
            ++depth;
        } else if ((c == QLatin1Char(']') || c == QLatin1Char('}')) && depth > 0) {
            --depth;
        } else if (c.isSpace() && depth == 0) {
            if (!current.isEmpty())
                words.append(std::exchange(current, {}));
            continue;
        }
        current += c;
    }
    if (!current.isEmpty())
        words.append(current);
    return words;
}

ParsedArguments parseArgumentWords(QStringView text)
{
    ParsedArguments result;
    for (const QString &word : splitWords(text)) {
        const Json::ParseResult parsed = Json::parse(word.toUtf8());
        if (parsed.ok) {
            result.args.append(fromCliJson(parsed.value, &result.error));
            if (!result.error.isEmpty())
                return result;
        } else if (word.startsWith(QLatin1Char('"')) || word.startsWith(QLatin1Char('['))
                   || word.startsWith(QLatin1Char('{'))) {
            result.error = QStringLiteral("not JSON: %1 (%2)").arg(word, parsed.error);
            return result;
        } else {
            result.args.append(word);
        }
    }
    return result;
}

} // namespace Plugboard::Cli

#include "cborformat.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QLocale>

namespace Plugboard::CborFormat {

namespace {

constexpr qsizetype BinaryPreviewBytes = 16;

QString binaryText(const QByteArray &bytes)
{
    QString text = QLatin1Char('<') + QString::number(bytes.size()) + QStringLiteral(" bytes");
    if (!bytes.isEmpty()) {
        text += QStringLiteral(": ") + QString::fromLatin1(bytes.left(BinaryPreviewBytes).toHex());
        if (bytes.size() > BinaryPreviewBytes)
            text += QChar(0x2026);
    }
    return text + QLatin1Char('>');
}

QString quoted(const QString &string)
{
    QString out;
    out.reserve(string.size() + 2);
    out += QLatin1Char('"');
    for (const QChar c : string) {
        switch (c.unicode()) {
        case '"': out += QStringLiteral("\\\""); break;
        case '\\': out += QStringLiteral("\\\\"); break;
        case '\n': out += QStringLiteral("\\n"); break;
        case '\r': out += QStringLiteral("\\r"); break;
        case '\t': out += QStringLiteral("\\t"); break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

QString numberText(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString keyText(const QCborValue &key)
{
    return key.isString() ? key.toString() : compactJson(key);
}

// Appends value to out; stops early once out is longer than limit (limit 0: none).
void write(const QCborValue &value, QString &out, qsizetype limit, int indent, int depth)
{
    if (limit > 0 && out.size() > limit)
        return;
    const QString newline = indent > 0 ? QStringLiteral("\n") : QString();
    const QString pad = QString(indent * (depth + 1), QLatin1Char(' '));
    const QString closePad = QString(indent * depth, QLatin1Char(' '));
    const QString separator = indent > 0 ? QStringLiteral(": ") : QStringLiteral(":");
    switch (value.type()) {
    case QCborValue::Array: {
        const QCborArray array = value.toArray();
        if (array.isEmpty()) {
            out += QStringLiteral("[]");
            return;
        }
        out += QLatin1Char('[') + newline;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0)
                out += QLatin1Char(',') + newline;
            out += pad;
            write(array.at(i), out, limit, indent, depth + 1);
            if (limit > 0 && out.size() > limit)
                return;
        }
        out += newline + closePad + QLatin1Char(']');
        return;
    }
    case QCborValue::Map: {
        const QCborMap map = value.toMap();
        if (map.isEmpty()) {
            out += QStringLiteral("{}");
            return;
        }
        out += QLatin1Char('{') + newline;
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!first)
                out += QLatin1Char(',') + newline;
            first = false;
            out += pad + quoted(keyText(it.key())) + separator;
            write(it.value(), out, limit, indent, depth + 1);
            if (limit > 0 && out.size() > limit)
                return;
        }
        out += newline + closePad + QLatin1Char('}');
        return;
    }
    case QCborValue::ByteArray:
        out += binaryText(value.toByteArray());
        return;
    case QCborValue::String:
        out += quoted(value.toString());
        return;
    case QCborValue::Integer:
        out += QString::number(value.toInteger());
        return;
    case QCborValue::Double:
        out += numberText(value.toDouble());
        return;
    case QCborValue::True:
        out += QStringLiteral("true");
        return;
    case QCborValue::False:
        out += QStringLiteral("false");
        return;
    case QCborValue::Undefined:
    case QCborValue::Null:
        out += QStringLiteral("null");
        return;
    default:
        out += quoted(value.toVariant().toString()); // tags, simple types: rare on the wire
        return;
    }
}

} // namespace

QString compactJson(const QCborValue &value, qsizetype maxLength)
{
    QString out;
    write(value, out, maxLength, 0, 0);
    if (maxLength > 0 && out.size() > maxLength) {
        out.truncate(maxLength);
        out += QChar(0x2026);
    }
    return out;
}

QString prettyJson(const QCborValue &value)
{
    QString out;
    write(value, out, 0, 2, 0);
    return out;
}

QJsonValue toJson(const QCborValue &value)
{
    switch (value.type()) {
    case QCborValue::Array: {
        QJsonArray array;
        for (const QCborValue &item : value.toArray())
            array.append(toJson(item));
        return array;
    }
    case QCborValue::Map: {
        QJsonObject object;
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(keyText(it.key()), toJson(it.value()));
        return object;
    }
    case QCborValue::ByteArray:
        return QJsonObject{{QStringLiteral("$base64"), QString::fromLatin1(value.toByteArray().toBase64())}};
    default:
        return value.toJsonValue();
    }
}

QString cellText(const QCborValue &value, qsizetype maxLength)
{
    if (value.isString()) {
        const QString text = value.toString();
        return text.size() > maxLength ? text.left(maxLength) + QChar(0x2026) : text;
    }
    return compactJson(value, maxLength);
}

} // namespace Plugboard::CborFormat

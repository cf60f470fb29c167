#include "jsoncodec.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstring>

namespace Plugboard::Json {

namespace {

constexpr size_t MaxDepth = 512;

QCborValue toCbor(simdjson::dom::element element)
{
    using simdjson::dom::element_type;
    switch (element.type()) {
    case element_type::ARRAY: {
        QCborArray array;
        const simdjson::dom::array source = element.get_array().value_unsafe();
        for (simdjson::dom::element child : source)
            array.append(toCbor(child));
        return array;
    }
    case element_type::OBJECT: {
        QCborMap map;
        const simdjson::dom::object source = element.get_object().value_unsafe();
        for (auto field : source) {
            const QString key = QString::fromUtf8(field.key.data(), qsizetype(field.key.size()));
            map.insert(key, toCbor(field.value));
        }
        return map;
    }
    case element_type::INT64:
        return QCborValue(qint64(element.get_int64().value_unsafe()));
    case element_type::UINT64:
        return QCborValue(double(element.get_uint64().value_unsafe()));
    case element_type::DOUBLE:
        return QCborValue(element.get_double().value_unsafe());
    case element_type::STRING: {
        const std::string_view text = element.get_string().value_unsafe();
        return QCborValue(QString::fromUtf8(text.data(), qsizetype(text.size())));
    }
    case element_type::BOOL:
        return QCborValue(element.get_bool().value_unsafe());
    case element_type::NULL_VALUE:
        return QCborValue(QCborValue::Null);
    }
    return QCborValue(QCborValue::Null);
}

simdjson::dom::parser &threadParser()
{
    // No maximum of our own: transports bound message sizes (maxHttpBufferSize).
    thread_local simdjson::dom::parser parser;
    return parser;
}

const char HexDigits[] = "0123456789abcdef";

template<typename Char>
void appendEscaped(Char c, QByteArray &out)
{
    switch (c) {
    case '"': out.append("\\\"", 2); return;
    case '\\': out.append("\\\\", 2); return;
    case '\b': out.append("\\b", 2); return;
    case '\f': out.append("\\f", 2); return;
    case '\n': out.append("\\n", 2); return;
    case '\r': out.append("\\r", 2); return;
    case '\t': out.append("\\t", 2); return;
    default: {
        const char escape[6] = {'\\', 'u', '0', '0', HexDigits[(c >> 4) & 0xf], HexDigits[c & 0xf]};
        out.append(escape, 6);
    }
    }
}

inline bool needsEscape(unsigned c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

// Integer literals beyond the 64-bit range, which simdjson refuses and JSON.parse reads as
// doubles, given a ".0" so that simdjson reads them as doubles too. Empty when there are none.
QByteArray widenBigIntegers(QByteArrayView json)
{
    static constexpr QByteArrayView maxUnsigned = "18446744073709551615";
    static constexpr QByteArrayView maxNegative = "9223372036854775808";
    QByteArray out;
    qsizetype copied = 0;
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9'))
            continue;
        const bool negative = c == '-';
        const qsizetype start = negative ? i + 1 : i;
        qsizetype end = start;
        while (end < json.size() && json[end] >= '0' && json[end] <= '9')
            ++end;
        const bool integral = end == json.size() || (json[end] != '.' && json[end] != 'e' && json[end] != 'E');
        const QByteArrayView digits = json.sliced(start, end - start);
        const QByteArrayView limit = negative ? maxNegative : maxUnsigned;
        if (integral && (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit))) {
            out.append(json.sliced(copied, end - copied).data(), end - copied);
            out.append(".0", 2);
            copied = end;
        }
        i = end - 1;
        while (i + 1 < json.size() && json[i + 1] != ',' && json[i + 1] != ']' && json[i + 1] != '}'
               && json[i + 1] != ' ' && json[i + 1] != '"')
            ++i; // the rest of the token (fraction, exponent)
    }
    if (copied == 0)
        return {};
    out.append(json.sliced(copied).data(), json.size() - copied);
    return out;
}

} // namespace

ParseResult parse(QByteArrayView json)
{
    ParseResult result;
    auto &parser = threadParser();
    if (size_t(json.size()) > parser.capacity()) {
        if (parser.allocate(size_t(json.size()), MaxDepth) != simdjson::SUCCESS) {
            result.error = QStringLiteral("JSON text too large");
            return result;
        }
    }
    simdjson::dom::element root;
    auto error = parser.parse(json.data(), size_t(json.size()), true).get(root);
    if (error == simdjson::NUMBER_ERROR) {
        // JSON.parse reads integers of any size (as doubles); so do we.
        const QByteArray widened = widenBigIntegers(json);
        const bool room = size_t(widened.size()) <= parser.capacity()
                       || parser.allocate(size_t(widened.size()), MaxDepth) == simdjson::SUCCESS;
        if (!widened.isEmpty() && room
            && parser.parse(widened.data(), size_t(widened.size()), true).get(root) == simdjson::SUCCESS)
            error = simdjson::SUCCESS;
    }
    if (error != simdjson::SUCCESS) {
        result.error = QString::fromLatin1(simdjson::error_message(error));
        return result;
    }
    result.value = toCbor(root);
    result.ok = true;
    return result;
}

void writeNumber(double value, QByteArray &out)
{
    if (!std::isfinite(value)) {
        out.append("null", 4);
        return;
    }
    if (value == 0) {
        out.append('0');
        return;
    }
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
        char buffer[24];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, qint64(value)).ptr;
        out.append(buffer, end - buffer);
        return;
    }
    // Shortest round-trip digits, then laid out by ECMA-262 Number::toString.
    char buffer[40];
    const auto end =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific).ptr;
    const char *p = buffer;
    if (*p == '-') {
        out.append('-');
        ++p;
    }
    const char *exponentMark = static_cast<const char *>(std::memchr(p, 'e', end - p));
    QByteArray digits;
    for (const char *q = p; q < exponentMark; ++q) {
        if (*q != '.')
            digits.append(*q);
    }
    int exponent = 0;
    std::from_chars(exponentMark + 1 + (exponentMark[1] == '+'), end, exponent);
    const int k = int(digits.size());
    const int n = exponent + 1;
    if (k <= n && n <= 21) {
        out.append(digits);
        out.append(QByteArray(n - k, '0'));
    } else if (0 < n && n <= 21) {
        out.append(digits.constData(), n);
        out.append('.');
        out.append(digits.constData() + n, k - n);
    } else if (-6 < n && n <= 0) {
        out.append("0.", 2);
        out.append(QByteArray(-n, '0'));
        out.append(digits);
    } else {
        out.append(digits.at(0));
        if (k > 1) {
            out.append('.');
            out.append(digits.constData() + 1, k - 1);
        }
        out.append('e');
        out.append(n - 1 >= 0 ? '+' : '-');
        out.append(QByteArray::number(std::abs(n - 1)));
    }
}

void writeString(QByteArrayView utf8, QByteArray &out)
{
    out.append('"');
    const char *data = utf8.data();
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        if (needsEscape(c)) {
            out.append(data + runStart, i - runStart);
            appendEscaped(c, out);
            runStart = i + 1;
        }
    }
    out.append(data + runStart, utf8.size() - runStart);
    out.append('"');
}

void writeString(QStringView text, QByteArray &out)
{
    bool plain = true;
    for (QChar c : text) {
        if (c.unicode() >= 0x80 || needsEscape(c.unicode())) {
            plain = false;
            break;
        }
    }
    if (plain) {
        out.reserve(out.size() + text.size() + 2);
        out.append('"');
        for (QChar c : text)
            out.append(char(c.unicode()));
        out.append('"');
        return;
    }
    bool loneSurrogate = false;
    for (qsizetype i = 0; i < text.size() && !loneSurrogate; ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (c.isSurrogate())
            loneSurrogate = true;
    }
    if (!loneSurrogate) {
        writeString(QByteArrayView(text.toUtf8()), out);
        return;
    }
    // Well-formed JSON.stringify (ES2019): an unpaired surrogate becomes a \uXXXX escape.
    out.append('"');
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            out.append(QStringView(text).sliced(i, 2).toUtf8());
            ++i;
        } else if (c.isSurrogate()) {
            const ushort u = c.unicode();
            const char escape[6] = {'\\', 'u', HexDigits[u >> 12], HexDigits[(u >> 8) & 0xf],
                                    HexDigits[(u >> 4) & 0xf], HexDigits[u & 0xf]};
            out.append(escape, 6);
        } else if (c.unicode() < 0x80) {
            if (needsEscape(c.unicode()))
                appendEscaped(char(c.unicode()), out);
            else
                out.append(char(c.unicode()));
        } else {
            out.append(QStringView(text).sliced(i, 1).toUtf8());
        }
    }
    out.append('"');
}

void write(const QCborValue &value, QByteArray &out)
{
    switch (value.type()) {
    case QCborValue::Integer: {
        char buffer[24];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, value.toInteger()).ptr;
        out.append(buffer, end - buffer);
        return;
    }
    case QCborValue::Double:
        writeNumber(value.toDouble(), out);
        return;
    case QCborValue::String:
        writeString(QStringView(value.toString()), out);
        return;
    case QCborValue::True:
        out.append("true", 4);
        return;
    case QCborValue::False:
        out.append("false", 5);
        return;
    case QCborValue::Array: {
        out.append('[');
        const QCborArray array = value.toArray();
        bool first = true;
        for (const QCborValue &item : array) {
            if (!first)
                out.append(',');
            first = false;
            write(item, out);
        }
        out.append(']');
        return;
    }
    case QCborValue::Map: {
        out.append('{');
        const QCborMap map = value.toMap();
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (it.value().isUndefined())
                continue;
            if (!first)
                out.append(',');
            first = false;
            const QCborValue key = it.key();
            if (key.isString())
                writeString(QStringView(key.toString()), out);
            else
                writeString(QStringView(key.toVariant().toString()), out);
            out.append(':');
            write(it.value(), out);
        }
        out.append('}');
        return;
    }
    case QCborValue::ByteArray: {
        out.append("{\"type\":\"Buffer\",\"data\":[", 25);
        const QByteArray bytes = value.toByteArray();
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if (i)
                out.append(',');
            out.append(QByteArray::number(static_cast<unsigned char>(bytes.at(i))));
        }
        out.append("]}", 2);
        return;
    }
    default:
        out.append("null", 4);
        return;
    }
}

QByteArray write(const QCborValue &value)
{
    QByteArray out;
    write(value, out);
    return out;
}

} // namespace Plugboard::Json

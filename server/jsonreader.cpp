#include "jsonreader.h"

#include <algorithm>
#include <cmath>

namespace Plugboard {

namespace {

// Problems are listed one a line, each starting with its path: a key or value with a line
// break (or another control character) must not start a line of its own.
QString escapeControls(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\n')
            out += QStringLiteral("\\n");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

} // namespace

QString JsonReader::join(const QString &path, QStringView key)
{
    // The empty key is spelled as in JSON, so that it still names a place.
    const QString name = key.isEmpty() ? QStringLiteral("\"\"") : key.toString();
    return path.isEmpty() ? name : path + QLatin1Char('.') + name;
}

QString JsonReader::index(const QString &path, qsizetype i)
{
    return path + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
}

void JsonReader::fail(const QString &path, const QString &message)
{
    m_errors.append(escapeControls(path.isEmpty() ? message : path + QStringLiteral(": ") + message));
}

void JsonReader::checkKeys(const QJsonObject &object, const QString &path,
                           std::initializer_list<const char *> allowed)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&](const char *name) { return key == QLatin1String(name); });
        if (!known)
            fail(join(path, key), QStringLiteral("unknown key"));
    }
}

void JsonReader::require(const QJsonObject &object, QStringView key, const QString &path)
{
    if (!object.contains(key))
        fail(join(path, key), QStringLiteral("required"));
}

bool JsonReader::readBool(const QJsonObject &object, QStringView key, const QString &path, bool *out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isBool()) {
        fail(join(path, key), QStringLiteral("expected boolean"));
        return false;
    }
    *out = value.toBool();
    return true;
}

bool JsonReader::toInt(const QJsonValue &value, const QString &path, qint64 min, qint64 max, qint64 *out)
{
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number) || std::floor(number) != number) {
        fail(path, QStringLiteral("expected integer"));
        return false;
    }
    if (number < double(min) || number > double(max)) {
        fail(path, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
        return false;
    }
    *out = qint64(number);
    return true;
}

bool JsonReader::readInt(const QJsonObject &object, QStringView key, const QString &path, qint64 min,
                         qint64 max, qint64 *out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    return toInt(value, join(path, key), min, max, out);
}

bool JsonReader::readInt(const QJsonObject &object, QStringView key, const QString &path, int min, int max,
                         int *out)
{
    qint64 wide = *out;
    if (!readInt(object, key, path, qint64(min), qint64(max), &wide))
        return false;
    *out = int(wide);
    return true;
}

bool JsonReader::toString(const QJsonValue &value, const QString &path, QString *out, bool allowEmpty)
{
    if (!value.isString()) {
        fail(path, QStringLiteral("expected string"));
        return false;
    }
    if (!allowEmpty && value.toString().isEmpty()) {
        fail(path, QStringLiteral("must not be empty"));
        return false;
    }
    *out = value.toString();
    return true;
}

bool JsonReader::readString(const QJsonObject &object, QStringView key, const QString &path, QString *out,
                            bool allowEmpty)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    return toString(value, join(path, key), out, allowEmpty);
}

bool JsonReader::readStringList(const QJsonObject &object, QStringView key, const QString &path,
                                QStringList *out, bool allowEmpty)
{
    const std::optional<QJsonArray> items = array(object, key, path);
    if (!items)
        return !object.contains(key);
    const QString itemsPath = join(path, key);
    if (!allowEmpty && items->isEmpty()) {
        fail(itemsPath, QStringLiteral("must not be empty"));
        return false;
    }
    QStringList list;
    bool ok = true;
    for (qsizetype i = 0; i < items->size(); ++i) {
        QString item;
        if (toString(items->at(i), index(itemsPath, i), &item))
            list.append(item);
        else
            ok = false;
    }
    if (ok)
        *out = list;
    return ok;
}

std::optional<QJsonObject> JsonReader::object(const QJsonObject &object, QStringView key, const QString &path)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isObject()) {
        fail(join(path, key), QStringLiteral("expected object"));
        return std::nullopt;
    }
    return value.toObject();
}

std::optional<QJsonArray> JsonReader::array(const QJsonObject &object, QStringView key, const QString &path)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isArray()) {
        fail(join(path, key), QStringLiteral("expected array"));
        return std::nullopt;
    }
    return value.toArray();
}

} // namespace Plugboard

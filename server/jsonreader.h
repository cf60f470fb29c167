#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <initializer_list>
#include <optional>

namespace Plugboard {

// Reads values out of untrusted JSON (config files, API bodies) and collects every problem
// as "<path>: <message>", so that one pass reports all of them. Absent keys leave the output
// untouched; a value of the wrong type is reported and leaves it untouched as well.
class JsonReader
{
public:
    static QString join(const QString &path, QStringView key);
    static QString index(const QString &path, qsizetype i);

    void fail(const QString &path, const QString &message);
    bool hasErrors() const { return !m_errors.isEmpty(); }
    const QStringList &errors() const { return m_errors; }

    // Reports keys of `object` that are not in `allowed`.
    void checkKeys(const QJsonObject &object, const QString &path, std::initializer_list<const char *> allowed);
    void require(const QJsonObject &object, QStringView key, const QString &path);

    bool readBool(const QJsonObject &object, QStringView key, const QString &path, bool *out);
    bool readInt(const QJsonObject &object, QStringView key, const QString &path, qint64 min, qint64 max,
                 qint64 *out);
    bool readInt(const QJsonObject &object, QStringView key, const QString &path, int min, int max, int *out);
    bool readString(const QJsonObject &object, QStringView key, const QString &path, QString *out,
                    bool allowEmpty = false);
    bool readStringList(const QJsonObject &object, QStringView key, const QString &path, QStringList *out,
                        bool allowEmpty = true);
    // The object or array at key, if present and of that type.
    std::optional<QJsonObject> object(const QJsonObject &object, QStringView key, const QString &path);
    std::optional<QJsonArray> array(const QJsonObject &object, QStringView key, const QString &path);

    bool toInt(const QJsonValue &value, const QString &path, qint64 min, qint64 max, qint64 *out);
    bool toString(const QJsonValue &value, const QString &path, QString *out, bool allowEmpty = false);

private:
    QStringList m_errors;
};

} // namespace Plugboard

#pragma once

#include <QtCore/QCborMap>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace Plugboard {

// A room a client may enter by itself, e.g. `public:*` or `user:{sub}`: `*` stands for any
// non-empty text, `{claim}` (or `{a.b}` for a nested one) for a claim of the client's token.
// Claims are matched literally, so a claim holding `*` grants nothing more.
class RoomPattern
{
public:
    // Why the pattern is malformed, or nothing.
    static std::optional<QString> validate(const QString &pattern);

    explicit RoomPattern(const QString &pattern);

    QString pattern() const { return m_pattern; }
    // A placeholder whose claim is missing, or is not a string or an integer, matches nothing.
    bool matches(const QString &room, const QCborMap &claims) const;

private:
    struct Token
    {
        enum class Kind { Literal, Wildcard, Claim };
        Kind kind;
        QString text; // the literal, or the claim's path
    };

    QString m_pattern;
    QList<Token> m_tokens;
};

} // namespace Plugboard

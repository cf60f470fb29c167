#include "roompattern.h"

#include <QtCore/QRegularExpression>

namespace Plugboard {

namespace {

bool isClaimName(QStringView name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$"));
    return valid.match(name.toString()).hasMatch();
}

std::optional<QString> claimText(const QCborMap &claims, const QString &path)
{
    QCborValue value = claims;
    for (const QString &part : path.split(QLatin1Char('.')))
        value = value.isMap() ? value.toMap().value(part) : QCborValue();
    if (value.isString())
        return value.toString();
    if (value.isInteger())
        return QString::number(value.toInteger());
    return std::nullopt;
}

} // namespace

std::optional<QString> RoomPattern::validate(const QString &pattern)
{
    if (pattern.isEmpty())
        return QStringLiteral("empty pattern");
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) == QLatin1Char('}'))
            return QStringLiteral("'}' without '{' in \"%1\"").arg(pattern);
        if (pattern.at(i) != QLatin1Char('{'))
            continue;
        const qsizetype end = pattern.indexOf(QLatin1Char('}'), i);
        if (end < 0)
            return QStringLiteral("unclosed '{' in \"%1\"").arg(pattern);
        if (!isClaimName(QStringView(pattern).mid(i + 1, end - i - 1)))
            return QStringLiteral("bad claim name in \"%1\" (letters, digits, '_', '-', '.')").arg(pattern);
        i = end;
    }
    return std::nullopt;
}

RoomPattern::RoomPattern(const QString &pattern) : m_pattern(pattern)
{
    QString literal;
    const auto flush = [&] {
        if (!literal.isEmpty())
            m_tokens.append({Token::Kind::Literal, std::exchange(literal, {})});
    };
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('*')) {
            flush();
            m_tokens.append({Token::Kind::Wildcard, {}});
        } else if (c == QLatin1Char('{')) {
            const qsizetype end = pattern.indexOf(QLatin1Char('}'), i);
            if (end < 0) { // validate() refuses this; treat the rest as text
                literal += pattern.mid(i);
                break;
            }
            flush();
            m_tokens.append({Token::Kind::Claim, pattern.mid(i + 1, end - i - 1)});
            i = end;
        } else {
            literal += c;
        }
    }
    flush();
}

bool RoomPattern::matches(const QString &room, const QCborMap &claims) const
{
    QString regex = QStringLiteral("\\A");
    for (const Token &token : m_tokens) {
        switch (token.kind) {
        case Token::Kind::Literal:
            regex += QRegularExpression::escape(token.text);
            break;
        case Token::Kind::Wildcard:
            regex += QStringLiteral(".+");
            break;
        case Token::Kind::Claim: {
            const std::optional<QString> value = claimText(claims, token.text);
            if (!value || value->isEmpty())
                return false;
            regex += QRegularExpression::escape(*value);
            break;
        }
        }
    }
    regex += QStringLiteral("\\z");
    return QRegularExpression(regex, QRegularExpression::DotMatchesEverythingOption).match(room).hasMatch();
}

} // namespace Plugboard

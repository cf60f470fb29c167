#include "jsoncomments.h"

#include <QtCore/QString>

namespace Plugboard {

QByteArray stripJsonComments(const QByteArray &text)
{
    QByteArray out = text;
    bool inString = false;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const char c = out.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '/' && i + 1 < out.size() && out.at(i + 1) == '/') {
            while (i < out.size() && out.at(i) != '\n')
                out[i++] = ' ';
        } else if (c == '/' && i + 1 < out.size() && out.at(i + 1) == '*') {
            const qsizetype end = out.indexOf("*/", i + 2);
            if (end < 0)
                return out;
            for (; i < end + 2; ++i) {
                if (out.at(i) != '\n')
                    out[i] = ' ';
            }
            --i;
        }
    }
    return out;
}

QString describeOffset(const QByteArray &text, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, text.size());
    const QByteArrayView before(text.constData(), offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype lineStart = before.toByteArray().lastIndexOf('\n') + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(offset - lineStart + 1);
}

} // namespace Plugboard

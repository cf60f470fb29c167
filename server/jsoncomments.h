#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace Plugboard {

// Blanks out // and /* */ comments outside strings, keeping every newline so that parse
// errors still point at the right line and column. An unterminated block comment is left
// for the JSON parser to report.
QByteArray stripJsonComments(const QByteArray &text);

// "line L, column C" of a byte offset.
QString describeOffset(const QByteArray &text, qsizetype offset);

} // namespace Plugboard

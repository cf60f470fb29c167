#pragma once

#include <QtCore/QCborValue>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

namespace Plugboard::CborFormat {

// One-line JSON for display: binary as `<N bytes: 0a1b…>` (the first bytes in hex). Output is
// cut at maxLength characters with a trailing ellipsis (0: no limit).
QString compactJson(const QCborValue &value, qsizetype maxLength = 0);

// Indented JSON for the details views, binary rendered as in compactJson.
QString prettyJson(const QCborValue &value);

// Lossless JSON for export: binary becomes {"$base64": "..."}, the form jsonarguments reads.
QJsonValue toJson(const QCborValue &value);

// A map value as a cell: strings bare, everything else compact JSON.
QString cellText(const QCborValue &value, qsizetype maxLength = 200);

} // namespace Plugboard::CborFormat

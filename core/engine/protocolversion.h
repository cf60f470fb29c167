#pragma once

#include "../http/httprequest.h"

namespace Plugboard::EngineIO {

// The Engine.IO revision a request speaks: 4 for EIO=4, else 3 (Node's "3rd revision by
// default"); v3 is only served with allowEIO3.
inline int protocolOf(const HttpRequest &request)
{
    return request.queryItem(u"EIO") == QLatin1String("4") ? 4 : 3;
}

} // namespace Plugboard::EngineIO

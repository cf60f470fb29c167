#include "pollingtransport.h"

#include "../http/httpcompression.h"
#include "../http/httpconnection.h"
#include "../logging.h"
#include "../protocol/enginepayloadv3.h"

namespace Plugboard {

PollingTransport::PollingTransport(const EngineOptions &options, ResponseFinisher finish, QObject *parent)
    : Transport(parent), m_maxHttpBufferSize(options.maxHttpBufferSize),
      m_compression(options.httpCompression), m_finish(std::move(finish))
{
}

PollingTransport::~PollingTransport()
{
    delete m_pendingGetRequest;
}

bool PollingTransport::isWritable() const
{
    return m_pendingGet && m_pendingGet->hasPendingRequest();
}

void PollingTransport::respond(HttpConnection *connection, const HttpRequest &request,
                               HttpResponse response)
{
    if (m_finish)
        m_finish(request, response);
    connection->respond(response);
}

void PollingTransport::setProtocol(int version, bool supportsBinary)
{
    m_protocol = version;
    m_supportsBinary = supportsBinary;
}

void PollingTransport::send(const QList<OutgoingPacket> &packets)
{
    if (!isWritable() || packets.isEmpty())
        return;
    QByteArray body;
    bool closing = false;
    bool compressible = false;
    QByteArray contentType = QByteArrayLiteral("text/plain; charset=UTF-8");
    // v3 payloads are encoded per client: legacy clients do not share the v4 encoding.
    QList<EngineIO::Packet> legacy;
    for (const OutgoingPacket &packet : packets) {
        compressible = compressible || (!packet.message.isNull() && packet.message.isCompressible());
        closing = closing || (packet.message.isNull() && packet.type == EngineIO::PacketType::Close);
        if (m_protocol == 3) {
            packet.appendTo(legacy);
            continue;
        }
        if (!body.isEmpty())
            body.append(EngineIO::RecordSeparator);
        if (packet.message.isNull()) {
            body.append(char('0' + int(packet.type)));
            body.append(packet.data);
        } else {
            body.append(packet.message.pollingPayload());
        }
    }
    if (m_protocol == 3) {
        EngineIO::V3::EncodedPayload encoded = EngineIO::V3::encodePayload(legacy, m_supportsBinary);
        body = std::move(encoded.body);
        if (encoded.binary)
            contentType = QByteArrayLiteral("application/octet-stream");
    }
    HttpConnection *connection = m_pendingGet;
    m_pendingGet = nullptr;
    disconnect(connection, &HttpConnection::aborted, this, nullptr);
    std::unique_ptr<HttpRequest> request(std::exchange(m_pendingGetRequest, nullptr));
    HttpCompression::Encoding encoding = HttpCompression::Encoding::Identity;
    if (m_compression.enabled && compressible && body.size() >= m_compression.threshold)
        encoding = HttpCompression::negotiate(request->header("accept-encoding"));
    if (encoding != HttpCompression::Encoding::Identity) {
        QByteArray compressed = HttpCompression::compress(body, encoding);
        if (compressed.isEmpty())
            encoding = HttpCompression::Encoding::Identity;
        else
            body = std::move(compressed);
    }
    HttpResponse response = HttpResponse::text(200, std::move(body), contentType);
    if (encoding != HttpCompression::Encoding::Identity)
        response.setHeader("Content-Encoding", HttpCompression::name(encoding));
    respond(connection, *request, std::move(response));
    if (closing)
        m_closing = true;
}

void PollingTransport::close()
{
    m_closing = true;
    if (isWritable())
        send({OutgoingPacket{EngineIO::PacketType::Close, {}, {}}});
}

void PollingTransport::discard()
{
    m_discarded = true;
    if (isWritable())
        send({OutgoingPacket{EngineIO::PacketType::Noop, {}, {}}});
}

void PollingTransport::handleRequest(const HttpRequest &request, HttpConnection *connection)
{
    if (request.method == "GET")
        handleGet(request, connection);
    else if (request.method == "POST")
        handlePost(request, connection);
    else
        respond(connection, request, HttpResponse::text(405, "Method Not Allowed"));
}

void PollingTransport::handleGet(const HttpRequest &request, HttpConnection *connection)
{
    if (isWritable()) {
        // Two GETs at once: Node answers 400 and closes the session ("overlap from client").
        qCDebug(lcEnginePolling) << "request overlap";
        respond(connection, request,
                HttpResponse::json(400, "{\"code\":3,\"message\":\"Bad request\"}"));
        Q_EMIT errorOccurred(QStringLiteral("overlap from client"));
        return;
    }
    m_pendingGet = connection;
    delete m_pendingGetRequest;
    // For the headers of the answer: CORS, Accept-Encoding, the hooks and the middleware's.
    m_pendingGetRequest = new HttpRequest(request);
    connect(connection, &HttpConnection::aborted, this, &PollingTransport::onGetAborted);
    if (m_discarded) {
        send({OutgoingPacket{EngineIO::PacketType::Noop, {}, {}}});
        return;
    }
    Q_EMIT writable();
}

void PollingTransport::onGetAborted()
{
    m_pendingGet = nullptr;
    delete std::exchange(m_pendingGetRequest, nullptr);
    if (!m_closing && !m_discarded)
        Q_EMIT errorOccurred(QStringLiteral("poll connection closed prematurely"));
}

void PollingTransport::handlePost(const HttpRequest &request, HttpConnection *connection)
{
    if (m_postInProgress) {
        respond(connection, request,
                HttpResponse::json(400, "{\"code\":3,\"message\":\"Bad request\"}"));
        Q_EMIT errorOccurred(QStringLiteral("data request overlap from client"));
        return;
    }
    if (request.body.size() > m_maxHttpBufferSize) {
        respond(connection, request, HttpResponse::text(413, "Payload Too Large"));
        Q_EMIT errorOccurred(QStringLiteral("payload too large"));
        return;
    }
    const bool binaryBody = request.header("content-type").startsWith("application/octet-stream");
    if (binaryBody && m_protocol != 3) {
        // Binary polling bodies are Engine.IO v3 only.
        respond(connection, request,
                HttpResponse::json(400, "{\"code\":3,\"message\":\"Bad request\"}"));
        Q_EMIT parseError(QStringLiteral("binary payload in a v4 polling request"));
        return;
    }
    const auto packets = m_protocol != 3 ? EngineIO::decodePayload(request.body)
                       : binaryBody      ? EngineIO::V3::decodeBinaryPayload(request.body)
                                         : EngineIO::V3::decodeTextPayload(request.body);
    if (!packets) {
        respond(connection, request,
                HttpResponse::json(400, "{\"code\":3,\"message\":\"Bad request\"}"));
        Q_EMIT parseError(QStringLiteral("malformed polling payload"));
        return;
    }
    m_postInProgress = true;
    respond(connection, request, HttpResponse::text(200, "ok", "text/html"));
    QPointer<PollingTransport> guard(this);
    for (const EngineIO::Packet &packet : *packets) {
        Q_EMIT packetReceived(packet);
        if (!guard)
            return;
    }
    m_postInProgress = false;
}

} // namespace Plugboard

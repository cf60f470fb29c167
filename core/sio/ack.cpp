#include "ack.h"

namespace Plugboard {

Ack::Ack(std::function<void(const QCborArray &)> send) : m_state(std::make_shared<State>())
{
    m_state->send = std::move(send);
}

bool Ack::isSent() const
{
    return m_state && m_state->sent;
}

void Ack::operator()(const QCborArray &args) const
{
    if (!m_state || m_state->sent)
        return;
    m_state->sent = true;
    m_state->send(args);
}

} // namespace Plugboard

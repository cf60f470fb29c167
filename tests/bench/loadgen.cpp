// plugboard-loadgen: a single-threaded epoll load generator speaking raw Engine.IO 4 /
// Socket.IO 5 over WebSocket (hand-written RFC 6455 client framing, masked) or HTTP long-polling,
// for the benchmark contract (bench-contract.md). Depends on libc/libstdc++ only.
//
// Scenarios: echo, fanout, binary, idle, connect, polling, steady. Every phase is bounded in time.
// Results go to stdout as lines "METRIC <label> <name> <value>"; progress goes to stderr.
//
//   plugboard-loadgen --scenario echo --port 3000 --pid <server pid> [--duration 8] ...
//   plugboard-loadgen --help

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

uint64_t nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

uint64_t g_rng = 0x9E3779B97F4A7C15ull;
uint32_t rng32()
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return uint32_t(g_rng >> 16);
}

// ---------------------------------------------------------------------------------------------
// Options

struct Options
{
    std::string scenario = "echo";
    std::string label;
    std::string host = "127.0.0.1";
    int port = 3000;
    std::vector<int> morePorts; // --ports: clients spread round-robin over port, then these
    int pid = 0;            // server pid: CPU and RSS are summed over its process tree
    int serverCore = 0;     // the core the server is pinned to (busy time from /proc/stat)
    double duration = 8;    // measurement window, s
    double warmup = 1;      // s, after the ramp, before measuring
    double settle = 2;      // idle: s between the last connection and the RSS reading
    double rampTimeout = 60; // s allowed to open and set up all connections
    int conns = 100;        // echo/binary/idle/polling: connections (sessions)
    int inflight = 8;       // echo/binary/polling: acked events in flight per connection
    int members = 1000;     // fanout: room members
    double rate = 0;        // fanout: broadcasts/s (0: as fast as the window allows); steady: events/s
    int window = 8;         // fanout: max broadcasts not yet delivered to every member
    int payload = 32;       // bytes of user data in text payloads
    int binSize = 65536;    // binary: attachment size
    int ramp = 256;         // max connections in setup at once during ramps
    int concurrency = 64;   // connect: setups in flight
    long maxConnects = 200000; // connect: bound on attempts
    int retries = 3;        // ramp: reconnect attempts per failed connection
};

Options opt;

void usage()
{
    std::fprintf(stderr,
        "usage: plugboard-loadgen --scenario echo|fanout|binary|idle|connect|polling|steady [options]\n"
        "  --host H --port P        server (default 127.0.0.1:3000)\n"
        "  --ports P1,P2,...        servers of one cluster: clients spread round-robin over them\n"
        "                           (the fanout sender on the first)\n"
        "  --pid N                  server pid (CPU/RSS summed over its process tree)\n"
        "  --server-core N          core the server is pinned to (default 0)\n"
        "  --label S                name printed in METRIC lines (default: scenario)\n"
        "  --duration S --warmup S  measurement window and warm-up (default 8, 1)\n"
        "  --ramp-timeout S         limit for opening all connections (default 60)\n"
        "  --conns N --inflight K   echo/binary/idle/polling connections, acks in flight (100, 8)\n"
        "  --members M --rate R --window W   fanout members, broadcasts/s (0=window-bound), window\n"
        "  --payload B --bin-size B text payload bytes (32), binary attachment bytes (65536)\n"
        "  --settle S               idle: wait before reading RSS (default 2)\n"
        "  --ramp N                 connections in setup at once (default 256)\n"
        "  --concurrency N --max-connects N  connect scenario (64, 200000)\n"
        "  steady: --conns N websockets, then --rate R un-acked events/s spread over them;\n"
        "          prints READY when all are connected and MEASURE when measuring starts;\n"
        "          events from the server that ask for an ack get [\"ok\"]; after the METRIC lines\n"
        "          it prints DONE and keeps the connections until stdin is closed (at most 60 s)\n");
}

bool parseArgs(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        std::string v;
        if (a == "-h" || a == "--help")
            return false;
        const auto eq = a.find('=');
        if (eq != std::string::npos) {
            v = a.substr(eq + 1);
            a = a.substr(0, eq);
        } else if (i + 1 < argc) {
            v = argv[++i];
        } else {
            std::fprintf(stderr, "missing value for %s\n", a.c_str());
            return false;
        }
        if (a == "--scenario") opt.scenario = v;
        else if (a == "--label") opt.label = v;
        else if (a == "--host") opt.host = v;
        else if (a == "--port") opt.port = std::atoi(v.c_str());
        else if (a == "--ports") {
            std::vector<int> ports;
            for (size_t at = 0; at <= v.size();) {
                const size_t comma = std::min(v.find(',', at), v.size());
                ports.push_back(std::atoi(v.substr(at, comma - at).c_str()));
                at = comma + 1;
            }
            opt.port = ports.front();
            opt.morePorts.assign(ports.begin() + 1, ports.end());
        }
        else if (a == "--pid") opt.pid = std::atoi(v.c_str());
        else if (a == "--server-core") opt.serverCore = std::atoi(v.c_str());
        else if (a == "--duration") opt.duration = std::atof(v.c_str());
        else if (a == "--warmup") opt.warmup = std::atof(v.c_str());
        else if (a == "--settle") opt.settle = std::atof(v.c_str());
        else if (a == "--ramp-timeout") opt.rampTimeout = std::atof(v.c_str());
        else if (a == "--conns") opt.conns = std::atoi(v.c_str());
        else if (a == "--inflight") opt.inflight = std::atoi(v.c_str());
        else if (a == "--members") opt.members = std::atoi(v.c_str());
        else if (a == "--rate") opt.rate = std::atof(v.c_str());
        else if (a == "--window") opt.window = std::atoi(v.c_str());
        else if (a == "--payload") opt.payload = std::atoi(v.c_str());
        else if (a == "--bin-size") opt.binSize = std::atoi(v.c_str());
        else if (a == "--ramp") opt.ramp = std::atoi(v.c_str());
        else if (a == "--concurrency") opt.concurrency = std::atoi(v.c_str());
        else if (a == "--max-connects") opt.maxConnects = std::atol(v.c_str());
        else if (a == "--retries") opt.retries = std::atoi(v.c_str());
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return false;
        }
    }
    if (opt.label.empty())
        opt.label = opt.scenario;
    // Bounds: every loop in here is bounded in count and time.
    opt.duration = std::clamp(opt.duration, 0.1, 600.0);
    opt.warmup = std::clamp(opt.warmup, 0.0, 60.0);
    opt.settle = std::clamp(opt.settle, 0.0, 60.0);
    opt.rampTimeout = std::clamp(opt.rampTimeout, 1.0, 300.0);
    opt.conns = std::clamp(opt.conns, 1, 100000);
    opt.members = std::clamp(opt.members, 1, 100000);
    opt.inflight = std::clamp(opt.inflight, 1, 256);
    opt.window = std::clamp(opt.window, 1, 1000);
    opt.payload = std::clamp(opt.payload, 0, 100000);
    opt.binSize = std::clamp(opt.binSize, 1, 16 << 20);
    opt.ramp = std::clamp(opt.ramp, 1, 10000);
    opt.concurrency = std::clamp(opt.concurrency, 1, 10000);
    return true;
}

// ---------------------------------------------------------------------------------------------
// Latency histogram (log-linear, ~1.5 % precision), values in ns

struct Histogram
{
    static constexpr int Sub = 64;
    std::vector<uint64_t> buckets = std::vector<uint64_t>(64 * Sub + Sub, 0);
    uint64_t count = 0;
    uint64_t maxValue = 0;
    double sum = 0;

    static int index(uint64_t v)
    {
        if (v < Sub)
            return int(v);
        const int msb = 63 - __builtin_clzll(v);
        const int shift = msb - 6;
        return Sub + shift * Sub + int((v >> shift) - Sub);
    }
    static uint64_t lower(int i)
    {
        if (i < Sub)
            return uint64_t(i);
        const int shift = (i - Sub) / Sub;
        return (uint64_t((i - Sub) % Sub) + Sub) << shift;
    }
    void add(uint64_t v)
    {
        ++buckets[size_t(index(v))];
        ++count;
        sum += double(v);
        maxValue = std::max(maxValue, v);
    }
    void reset() { *this = Histogram(); }
    double percentileMs(double p) const
    {
        if (!count)
            return 0;
        const uint64_t rank = std::max<uint64_t>(1, uint64_t(std::ceil(p * double(count))));
        uint64_t acc = 0;
        for (size_t i = 0; i < buckets.size(); ++i) {
            acc += buckets[i];
            if (acc >= rank) {
                const double lo = double(lower(int(i)));
                const double hi = double(lower(int(i) + 1));
                return std::min((lo + hi) / 2, double(maxValue)) / 1e6;
            }
        }
        return double(maxValue) / 1e6;
    }
};

// ---------------------------------------------------------------------------------------------
// /proc readings: the server's process tree (CPU, RSS) and its core's busy time

struct TreeStats
{
    double cpuSec = 0;
    long rssKb = 0;
    int processes = 0;
};

bool readFile(const std::string &path, std::string &out)
{
    out.clear();
    FILE *f = std::fopen(path.c_str(), "re");
    if (!f)
        return false;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() < (1 << 20))
        out.append(buf, n);
    std::fclose(f);
    return true;
}

TreeStats treeStats(int root)
{
    TreeStats s;
    if (root <= 0)
        return s;
    static const double tick = double(sysconf(_SC_CLK_TCK));
    std::map<int, std::vector<int>> children;
    std::map<int, double> cpu;
    DIR *d = opendir("/proc");
    if (!d)
        return s;
    std::string text;
    while (dirent *e = readdir(d)) {
        const int pid = std::atoi(e->d_name);
        if (pid <= 0)
            continue;
        if (!readFile("/proc/" + std::string(e->d_name) + "/stat", text))
            continue;
        const auto close = text.rfind(')');
        if (close == std::string::npos)
            continue;
        // fields after "(comm)": state(3) ppid(4) ... utime(14) stime(15)
        std::vector<std::string_view> f;
        std::string_view rest(text.data() + close + 2, text.size() - close - 2);
        while (!rest.empty() && f.size() < 16) {
            const auto sp = rest.find(' ');
            f.push_back(rest.substr(0, sp));
            if (sp == std::string_view::npos)
                break;
            rest.remove_prefix(sp + 1);
        }
        if (f.size() < 13)
            continue;
        children[std::atoi(std::string(f[1]).c_str())].push_back(pid);
        cpu[pid] = (std::atof(std::string(f[11]).c_str()) + std::atof(std::string(f[12]).c_str())) / tick;
    }
    closedir(d);
    std::vector<int> todo{root};
    for (size_t i = 0; i < todo.size() && i < 10000; ++i) {
        const int pid = todo[i];
        if (!cpu.count(pid))
            continue;
        ++s.processes;
        s.cpuSec += cpu[pid];
        if (readFile("/proc/" + std::to_string(pid) + "/status", text)) {
            const auto at = text.find("VmRSS:");
            if (at != std::string::npos)
                s.rssKb += std::atol(text.c_str() + at + 6);
        }
        for (int c : children[pid])
            todo.push_back(c);
    }
    return s;
}

struct CoreStats
{
    double busy = 0, total = 0;
};

CoreStats coreStats(int core)
{
    CoreStats c;
    std::string text;
    if (!readFile("/proc/stat", text))
        return c;
    const std::string key = "cpu" + std::to_string(core) + " ";
    const auto at = text.find(key);
    if (at == std::string::npos)
        return c;
    double v[8] = {};
    std::sscanf(text.c_str() + at + key.size(), "%lf %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3],
                &v[4], &v[5], &v[6], &v[7]);
    c.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    c.total = c.busy + v[3] + v[4];
    return c;
}

double selfCpuSec()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Snapshot
{
    uint64_t t = 0;
    TreeStats tree;
    CoreStats core;
    double self = 0;
};

Snapshot snapshot()
{
    Snapshot s;
    s.t = nowNs();
    s.tree = treeStats(opt.pid);
    s.core = coreStats(opt.serverCore);
    s.self = selfCpuSec();
    return s;
}

// ---------------------------------------------------------------------------------------------
// WebSocket client framing (RFC 6455): client frames are masked

void appendWsFrame(std::string &out, int opcode, const char *data, size_t len)
{
    const size_t ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
    const size_t old = out.size();
    out.resize(old + 2 + ext + 4 + len);
    auto *p = reinterpret_cast<unsigned char *>(&out[old]);
    p[0] = uint8_t(0x80 | opcode);
    if (ext == 0) {
        p[1] = uint8_t(0x80 | len);
        p += 2;
    } else if (ext == 2) {
        p[1] = 0x80 | 126;
        p[2] = uint8_t(len >> 8);
        p[3] = uint8_t(len);
        p += 4;
    } else {
        p[1] = 0x80 | 127;
        for (int i = 0; i < 8; ++i)
            p[2 + i] = uint8_t(uint64_t(len) >> (56 - 8 * i));
        p += 10;
    }
    const uint32_t key = rng32();
    std::memcpy(p, &key, 4);
    unsigned char mask[4];
    std::memcpy(mask, &key, 4);
    p += 4;
    uint64_t key8;
    std::memcpy(&key8, mask, 4);
    std::memcpy(reinterpret_cast<char *>(&key8) + 4, mask, 4);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        std::memcpy(&w, data + i, 8);
        w ^= key8;
        std::memcpy(p + i, &w, 8);
    }
    for (; i < len; ++i)
        p[i] = uint8_t(data[i]) ^ mask[i & 3];
}

// ---------------------------------------------------------------------------------------------
// Connections and clients

enum class Kind { WebSocket, PollGet, PollPost };
enum class CState { Opening, WaitOpen, WaitConnect, Ready, Dead };

struct Client;

struct Conn
{
    int fd = -1;
    Kind kind = Kind::WebSocket;
    bool connecting = true;  // TCP connect in progress
    bool upgraded = false;   // WebSocket: 101 received
    bool closed = false;
    bool wantOut = false;    // EPOLLOUT registered
    bool dirty = false;      // in g_dirty: output to write at the end of the loop iteration
    std::string in;
    std::string out;
    size_t outPos = 0;
    // WebSocket message assembly (fragmented frames)
    std::string frag;
    int fragOp = 0;
    Client *client = nullptr;
};

struct Client
{
    CState st = CState::Opening;
    bool polling = false;
    Conn *ws = nullptr;
    Conn *get = nullptr;
    Conn *post = nullptr;
    std::string sid;
    std::string postQueue; // polling: Engine.IO packets waiting for the next POST (\x1e-separated)
    bool postBusy = false;
    bool getBusy = false;
    uint64_t tStart = 0;
    int attempts = 0;
    bool sender = false;   // fanout: the broadcasting client
    size_t server = 0;     // index into g_addrs
    bool counted = false;  // ramp: counted as ready
    uint32_t nextId = 0;
    int inflight = 0;
    // ack id -> send time
    std::vector<uint64_t> sentAt;
    std::vector<uint32_t> sentId;
    // binary ack in progress
    long binAckId = -1;
    int binLeft = 0;
};

int g_epoll = -1;
std::vector<sockaddr_in> g_addrs; // the server, or every server of a cluster (--ports)
size_t g_nextServer = 0;
std::vector<Conn *> g_graveyard;
std::vector<Client *> g_clientGraveyard;
std::vector<Client *> g_postDirty;
std::vector<Conn *> g_dirty;
char g_rbuf[256 * 1024];

// scenario state
enum class Phase { Ramp, Warmup, Measure, Done };
Phase g_phase = Phase::Ramp;
uint64_t g_t0 = 0, g_phaseStart = 0, g_deadline = 0;
std::vector<Client *> g_clients;
long g_opened = 0, g_ready = 0, g_inSetup = 0, g_failed = 0, g_errors = 0, g_mismatch = 0;
long g_count = 0;   // measured completions (acks, deliveries, connects)
long g_bytes = 0;   // measured payload bytes (binary)
Histogram g_hist;
Snapshot g_snapA, g_snapB;
long g_baselineRssKb = 0;
uint64_t g_rampStart = 0, g_rampEnd = 0;
bool g_exitError = false;

// fanout
Client *g_sender = nullptr;
std::vector<uint64_t> g_bcastAt;
long g_bcastSent = 0, g_bcastSentMeasured = 0;
long g_delivered = 0;
long g_bcastAtPhaseStart = 0;
long g_joined = 0;

// steady
long g_steadySent = 0, g_steadyAtPhaseStart = 0;
size_t g_steadyCursor = 0;

std::string g_payload;        // "xxxx..."
std::string g_echoAckBody;    // ["xxxx..."]
std::string g_binData;        // binary attachment
std::string g_scratch;

void closeConn(Conn *c);
void clientFailed(Client *cl, const char *why);
void onClientReady(Client *cl, uint64_t now);
void tryPost(Client *cl);

void setWantOut(Conn *c, bool want)
{
    if (c->wantOut == want || c->closed)
        return;
    c->wantOut = want;
    epoll_event ev{};
    ev.events = want ? uint32_t(EPOLLIN | EPOLLOUT) : uint32_t(EPOLLIN);
    ev.data.ptr = c;
    epoll_ctl(g_epoll, EPOLL_CTL_MOD, c->fd, &ev);
}

// Write what is queued; keep the rest for EPOLLOUT.
void markDirty(Conn *c)
{
    if (c && !c->dirty && !c->closed) {
        c->dirty = true;
        g_dirty.push_back(c);
    }
}

void flush(Conn *c)
{
    if (c->closed || c->connecting)
        return;
    while (c->outPos < c->out.size()) {
        const ssize_t n = send(c->fd, c->out.data() + c->outPos, c->out.size() - c->outPos, MSG_NOSIGNAL);
        if (n > 0) {
            c->outPos += size_t(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (c->outPos > (1 << 20)) {
                c->out.erase(0, c->outPos);
                c->outPos = 0;
            }
            setWantOut(c, true);
            return;
        } else {
            if (c->client)
                clientFailed(c->client, "send failed");
            else
                closeConn(c);
            return;
        }
    }
    c->out.clear();
    c->outPos = 0;
    setWantOut(c, false);
}

Conn *openConn(Kind kind, Client *cl)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        std::fprintf(stderr, "socket: %s\n", std::strerror(errno));
        return nullptr;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto *c = new Conn;
    c->fd = fd;
    c->kind = kind;
    c->client = cl;
    const sockaddr_in &addr = g_addrs[cl ? cl->server : 0];
    const int r = connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
    if (r < 0 && errno != EINPROGRESS) {
        ::close(fd);
        c->fd = -1;
        c->closed = true;
        g_graveyard.push_back(c);
        return nullptr;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = c;
    c->wantOut = true;
    epoll_ctl(g_epoll, EPOLL_CTL_ADD, fd, &ev);
    return c;
}

void closeConn(Conn *c)
{
    if (c->closed)
        return;
    c->closed = true;
    epoll_ctl(g_epoll, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    c->fd = -1;
    g_graveyard.push_back(c);
}

void closeClient(Client *cl)
{
    if (cl->st == CState::Dead)
        return;
    if (cl->st != CState::Ready && cl->st != CState::Dead)
        --g_inSetup;
    cl->st = CState::Dead;
    for (Conn *c : {cl->ws, cl->get, cl->post})
        if (c) {
            c->client = nullptr;
            closeConn(c);
        }
    cl->ws = cl->get = cl->post = nullptr;
    g_clientGraveyard.push_back(cl);
}

std::string g_hostHeader;

Client *newClient(bool polling, uint64_t now, long server = -1)
{
    auto *cl = new Client;
    cl->polling = polling;
    cl->tStart = now;
    cl->server = server >= 0 ? size_t(server) : g_nextServer++ % g_addrs.size();
    const size_t ring = 64;
    cl->sentAt.assign(ring, 0);
    cl->sentId.assign(ring, UINT32_MAX);
    ++g_opened;
    ++g_inSetup;
    if (polling)
        cl->get = openConn(Kind::PollGet, cl);
    else
        cl->ws = openConn(Kind::WebSocket, cl);
    if (!(polling ? cl->get : cl->ws)) {
        clientFailed(cl, "connect failed");
        return nullptr;
    }
    return cl;
}

// ---------------------------------------------------------------------------------------------
// Sending Engine.IO / Socket.IO packets

void sendText(Client *cl, std::string_view packet)
{
    if (cl->st == CState::Dead)
        return;
    if (!cl->polling) {
        appendWsFrame(cl->ws->out, 1, packet.data(), packet.size());
        markDirty(cl->ws);
        return;
    }
    if (!cl->postQueue.empty())
        cl->postQueue.push_back('\x1e');
    cl->postQueue.append(packet);
    g_postDirty.push_back(cl);
}

void sendBinary(Client *cl, const std::string &data)
{
    if (cl->st != CState::Dead && cl->ws) {
        appendWsFrame(cl->ws->out, 2, data.data(), data.size());
        markDirty(cl->ws);
    }
}

uint32_t rememberSend(Client *cl, uint64_t now)
{
    const uint32_t id = cl->nextId++;
    const size_t slot = id & (cl->sentAt.size() - 1);
    cl->sentAt[slot] = now;
    cl->sentId[slot] = id;
    ++cl->inflight;
    return id;
}

void appendNumber(std::string &s, uint64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, size_t(r.ptr - buf));
}

void sendEcho(Client *cl, uint64_t now)
{
    const uint32_t id = rememberSend(cl, now);
    std::string &s = g_scratch;
    if (opt.scenario == "binary") {
        s.assign("451-");
        appendNumber(s, id);
        s.append("[\"echo\",{\"_placeholder\":true,\"num\":0}]");
        sendText(cl, s);
        sendBinary(cl, g_binData);
    } else {
        s.assign("42");
        appendNumber(s, id);
        s.append("[\"echo\",\"");
        s.append(g_payload);
        s.append("\"]");
        sendText(cl, s);
    }
}

void sendJoin(Client *cl, uint64_t now)
{
    const uint32_t id = rememberSend(cl, now);
    std::string &s = g_scratch;
    s.assign("42");
    appendNumber(s, id);
    s.append("[\"join\",\"bench\"]");
    sendText(cl, s);
}

void sendBroadcast(uint64_t now)
{
    std::string &s = g_scratch;
    s.assign("42[\"broadcast\",\"bench\",\"");
    appendNumber(s, uint64_t(g_bcastSent));
    s.push_back(':');
    s.append(g_payload);
    s.append("\"]");
    g_bcastAt.push_back(now);
    ++g_bcastSent;
    if (g_phase == Phase::Measure)
        ++g_bcastSentMeasured;
    sendText(g_sender, s);
}

// One un-acked event from the next ready client in turn (steady scenario).
void sendSteadyEvent()
{
    for (size_t tried = 0; tried < g_clients.size(); ++tried) {
        Client *cl = g_clients[g_steadyCursor++ % g_clients.size()];
        if (!cl || cl->st != CState::Ready)
            continue;
        std::string &s = g_scratch;
        s.assign("42[\"bench\",{\"n\":");
        appendNumber(s, uint64_t(g_steadySent));
        s.append(",\"payload\":\"");
        s.append(g_payload);
        s.append("\"}]");
        sendText(cl, s);
        ++g_steadySent;
        if (g_phase == Phase::Measure)
            ++g_count;
        return;
    }
}

void fillEchoes(Client *cl, uint64_t now)
{
    for (int i = 0; i < opt.inflight * 2 && cl->inflight < opt.inflight && cl->st == CState::Ready; ++i)
        sendEcho(cl, now);
}

// ---------------------------------------------------------------------------------------------
// Receiving

bool parseUint(std::string_view &p, uint64_t &v)
{
    size_t i = 0;
    v = 0;
    while (i < p.size() && i < 19 && p[i] >= '0' && p[i] <= '9')
        v = v * 10 + uint64_t(p[i++] - '0');
    p.remove_prefix(i);
    return i > 0;
}

void ackCompleted(Client *cl, uint64_t id, uint64_t now, bool ok, size_t bytes)
{
    const size_t slot = id & (cl->sentAt.size() - 1);
    if (cl->sentId[slot] != id) {
        ++g_errors;
        return;
    }
    cl->sentId[slot] = UINT32_MAX;
    --cl->inflight;
    if (!ok)
        ++g_mismatch;
    const std::string &sc = opt.scenario;
    if (sc == "fanout") {
        // join ack
        ++g_joined;
        if (!cl->counted) {
            cl->counted = true;
            ++g_ready;
        }
        return;
    }
    if (g_phase == Phase::Measure) {
        ++g_count;
        g_bytes += long(bytes);
        g_hist.add(now - cl->sentAt[slot]);
    }
    if (g_phase == Phase::Warmup || g_phase == Phase::Measure)
        fillEchoes(cl, now);
}

void onSioPacket(Client *cl, std::string_view p, uint64_t now)
{
    if (p.empty())
        return;
    const char type = p[0];
    p.remove_prefix(1);
    uint64_t attachments = 0;
    if (type == '5' || type == '6') {
        parseUint(p, attachments);
        if (p.empty() || p[0] != '-') {
            ++g_errors;
            return;
        }
        p.remove_prefix(1);
    }
    if (!p.empty() && p[0] == '/') {
        const auto comma = p.find(',');
        p.remove_prefix(comma == std::string_view::npos ? p.size() : comma + 1);
    }
    uint64_t id = 0;
    const bool hasId = parseUint(p, id);
    switch (type) {
    case '0': // CONNECT
        if (cl->st == CState::WaitConnect) {
            cl->st = CState::Ready;
            --g_inSetup;
            onClientReady(cl, now);
        }
        break;
    case '4': // CONNECT_ERROR
    case '1': // DISCONNECT
        clientFailed(cl, "socket.io connect error / disconnect");
        break;
    case '3': // ACK
        if (hasId) {
            bool ok = true;
            if (opt.scenario == "echo" || opt.scenario == "polling")
                ok = p == g_echoAckBody;
            else if (opt.scenario == "fanout")
                ok = p == "[\"bench\"]";
            ackCompleted(cl, id, now, ok, 0);
        }
        break;
    case '6': // BINARY_ACK
        if (hasId && attachments == 1) {
            cl->binAckId = long(id);
            cl->binLeft = 1;
        } else {
            ++g_errors;
        }
        break;
    case '2': { // EVENT
        if (opt.scenario == "steady" && hasId) {
            // Steady clients answer every event that asks for an acknowledgement.
            std::string reply = "43";
            appendNumber(reply, id);
            reply.append("[\"ok\"]");
            sendText(cl, reply);
            break;
        }
        static constexpr std::string_view prefix = "[\"bcast\",\"";
        if (p.substr(0, prefix.size()) == prefix) {
            p.remove_prefix(prefix.size());
            uint64_t seq = 0;
            if (parseUint(p, seq) && seq < g_bcastAt.size()) {
                ++g_delivered;
                if (g_phase == Phase::Measure) {
                    ++g_count;
                    g_hist.add(now - g_bcastAt[seq]);
                }
            } else {
                ++g_errors;
            }
        }
        break;
    }
    default:
        break;
    }
}

void onEnginePacket(Client *cl, std::string_view p, uint64_t now)
{
    if (p.empty())
        return;
    switch (p[0]) {
    case '0': // OPEN
        if (cl->st == CState::WaitOpen) {
            if (cl->polling) {
                static constexpr std::string_view key = "\"sid\":\"";
                const auto at = p.find(key);
                if (at == std::string_view::npos) {
                    clientFailed(cl, "no sid");
                    return;
                }
                const auto end = p.find('"', at + key.size());
                cl->sid = std::string(p.substr(at + key.size(), end - at - key.size()));
            }
            cl->st = CState::WaitConnect;
            sendText(cl, "40");
        }
        break;
    case '2': // PING
        sendText(cl, "3");
        break;
    case '1': // CLOSE
        clientFailed(cl, "engine.io close");
        break;
    case '4':
        onSioPacket(cl, p.substr(1), now);
        break;
    default: // 3 pong, 5 upgrade, 6 noop
        break;
    }
}

void onBinaryMessage(Client *cl, std::string_view data, uint64_t now)
{
    if (cl->binLeft <= 0) {
        ++g_errors;
        return;
    }
    --cl->binLeft;
    const bool ok = data.size() == g_binData.size() && std::memcmp(data.data(), g_binData.data(), data.size()) == 0;
    ackCompleted(cl, uint64_t(cl->binAckId), now, ok, data.size());
}

// WebSocket: consume the 101 response then frames. Returns bytes consumed.
size_t consumeWs(Conn *c, const char *d, size_t n, uint64_t now)
{
    size_t pos = 0;
    if (!c->upgraded) {
        const std::string_view v(d, n);
        const auto end = v.find("\r\n\r\n");
        if (end == std::string_view::npos) {
            if (n > 16384)
                clientFailed(c->client, "oversized upgrade response");
            return 0;
        }
        if (v.substr(0, 12) != "HTTP/1.1 101") {
            clientFailed(c->client, "upgrade refused");
            return n;
        }
        c->upgraded = true;
        c->client->st = CState::WaitOpen;
        pos = end + 4;
    }
    while (!c->closed && c->client) {
        const size_t avail = n - pos;
        if (avail < 2)
            break;
        const auto *p = reinterpret_cast<const unsigned char *>(d + pos);
        const bool fin = p[0] & 0x80;
        const int op = p[0] & 0x0f;
        const bool masked = p[1] & 0x80;
        uint64_t len = p[1] & 0x7f;
        size_t hdr = 2;
        if (len == 126) {
            if (avail < 4)
                break;
            len = (uint64_t(p[2]) << 8) | p[3];
            hdr = 4;
        } else if (len == 127) {
            if (avail < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | p[2 + i];
            hdr = 10;
        }
        const size_t maskAt = hdr;
        if (masked)
            hdr += 4;
        if (len > (64ull << 20)) {
            clientFailed(c->client, "oversized frame");
            return n;
        }
        if (avail < hdr + len)
            break;
        std::string_view payload(d + pos + hdr, size_t(len));
        std::string unmasked;
        if (masked) {
            unmasked.assign(payload);
            for (size_t i = 0; i < unmasked.size(); ++i)
                unmasked[i] ^= char(p[maskAt + (i & 3)]);
            payload = unmasked;
        }
        pos += hdr + size_t(len);
        Client *cl = c->client;
        if (op == 8) {
            clientFailed(cl, "websocket close");
            return n;
        } else if (op == 9) {
            appendWsFrame(c->out, 10, payload.data(), payload.size());
            markDirty(c);
        } else if (op == 10) {
        } else if (op == 0) {
            c->frag.append(payload);
            if (fin) {
                std::string msg;
                msg.swap(c->frag);
                if (c->fragOp == 1)
                    onEnginePacket(cl, msg, now);
                else
                    onBinaryMessage(cl, msg, now);
            }
        } else if (!fin) {
            c->fragOp = op;
            c->frag.assign(payload);
        } else if (op == 1) {
            onEnginePacket(cl, payload, now);
        } else if (op == 2) {
            onBinaryMessage(cl, payload, now);
        }
    }
    return pos;
}

// HTTP/1.1 response (Content-Length or chunked). Returns bytes consumed, 0 if incomplete.
size_t parseHttpResponse(const char *d, size_t n, int &status, std::string &body, bool &closeAfter, bool &bad)
{
    const std::string_view v(d, n);
    const auto end = v.find("\r\n\r\n");
    bad = false;
    if (end == std::string_view::npos) {
        bad = n > 65536;
        return 0;
    }
    if (v.substr(0, 9) != "HTTP/1.1 " || end < 12) {
        bad = true;
        return 0;
    }
    status = std::atoi(std::string(v.substr(9, 3)).c_str());
    std::string headers(v.substr(0, end));
    for (auto &ch : headers)
        ch = char(std::tolower(uint8_t(ch)));
    closeAfter = headers.find("\r\nconnection: close") != std::string::npos;
    const size_t bodyAt = end + 4;
    if (headers.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
        body.clear();
        size_t p = bodyAt;
        for (int guard = 0; guard < 100000; ++guard) {
            const auto eol = v.find("\r\n", p);
            if (eol == std::string_view::npos)
                return 0;
            const size_t size = std::strtoul(std::string(v.substr(p, eol - p)).c_str(), nullptr, 16);
            if (n < eol + 2 + size + 2)
                return 0;
            if (size == 0)
                return eol + 4; // no trailers expected
            body.append(v.substr(eol + 2, size));
            p = eol + 2 + size + 2;
        }
        bad = true;
        return 0;
    }
    const auto cl = headers.find("\r\ncontent-length:");
    const size_t len = cl == std::string::npos ? 0 : std::strtoul(headers.c_str() + cl + 17, nullptr, 10);
    if (n < bodyAt + len)
        return 0;
    body.assign(v.substr(bodyAt, len));
    return bodyAt + len;
}

std::string pollPath(const Client *cl)
{
    std::string s = "/socket.io/?EIO=4&transport=polling";
    if (!cl->sid.empty())
        s += "&sid=" + cl->sid;
    return s;
}

void sendGet(Client *cl)
{
    if (cl->st == CState::Dead || !cl->get || cl->getBusy)
        return;
    cl->getBusy = true;
    cl->get->out += "GET " + pollPath(cl) + " HTTP/1.1\r\nHost: " + g_hostHeader + "\r\n\r\n";
    markDirty(cl->get);
}

void tryPost(Client *cl)
{
    if (cl->st == CState::Dead || cl->postBusy || cl->postQueue.empty())
        return;
    if (!cl->post) {
        cl->post = openConn(Kind::PollPost, cl);
        if (!cl->post)
            clientFailed(cl, "connect failed");
        return; // sent once connected
    }
    if (cl->post->connecting)
        return;
    cl->postBusy = true;
    std::string &o = cl->post->out;
    o += "POST " + pollPath(cl) + " HTTP/1.1\r\nHost: " + g_hostHeader +
         "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: " + std::to_string(cl->postQueue.size()) +
         "\r\n\r\n";
    o += cl->postQueue;
    cl->postQueue.clear();
    markDirty(cl->post);
}

size_t consumeHttp(Conn *c, const char *d, size_t n, uint64_t now)
{
    size_t pos = 0;
    std::string body;
    while (!c->closed && c->client && pos < n) {
        int status = 0;
        bool closeAfter = false, bad = false;
        const size_t used = parseHttpResponse(d + pos, n - pos, status, body, closeAfter, bad);
        if (bad) {
            clientFailed(c->client, "bad http response");
            return n;
        }
        if (!used)
            break;
        pos += used;
        Client *cl = c->client;
        if (status != 200) {
            clientFailed(cl, "http status != 200");
            return n;
        }
        if (c->kind == Kind::PollPost) {
            cl->postBusy = false;
            if (body != "ok")
                ++g_errors;
            tryPost(cl);
        } else {
            cl->getBusy = false;
            std::string_view b(body);
            while (!b.empty() && cl->st != CState::Dead) {
                const auto sep = b.find('\x1e');
                onEnginePacket(cl, b.substr(0, sep), now);
                b.remove_prefix(sep == std::string_view::npos ? b.size() : sep + 1);
            }
            if (cl->st != CState::Dead && g_phase != Phase::Done)
                sendGet(cl);
        }
        if (closeAfter && c->client) {
            clientFailed(c->client, "server closed keep-alive connection");
            return n;
        }
    }
    return pos;
}

size_t consume(Conn *c, const char *d, size_t n, uint64_t now)
{
    return c->kind == Kind::WebSocket ? consumeWs(c, d, n, now) : consumeHttp(c, d, n, now);
}

void onConnected(Conn *c)
{
    c->connecting = false;
    Client *cl = c->client;
    if (!cl)
        return;
    if (c->kind == Kind::WebSocket) {
        c->out = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: " + g_hostHeader +
                 "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n";
        markDirty(c);
    } else if (c->kind == Kind::PollGet) {
        cl->st = CState::WaitOpen;
        sendGet(cl);
    } else {
        tryPost(cl);
    }
}

void onReadable(Conn *c, uint64_t now)
{
    for (int iter = 0; iter < 16 && !c->closed; ++iter) {
        const ssize_t r = recv(c->fd, g_rbuf, sizeof g_rbuf, 0);
        if (r > 0) {
            if (c->in.empty()) {
                const size_t used = consume(c, g_rbuf, size_t(r), now);
                if (!c->closed && used < size_t(r))
                    c->in.assign(g_rbuf + used, size_t(r) - used);
            } else {
                c->in.append(g_rbuf, size_t(r));
                const size_t used = consume(c, c->in.data(), c->in.size(), now);
                if (!c->closed)
                    c->in.erase(0, used);
            }
            if (size_t(r) < sizeof g_rbuf)
                break;
        } else if (r == 0) {
            if (c->client)
                clientFailed(c->client, "eof");
            else
                closeConn(c);
            return;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            if (c->client)
                clientFailed(c->client, "recv error");
            else
                closeConn(c);
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const char *phaseName(Phase p)
{
    switch (p) {
    case Phase::Ramp: return "ramp";
    case Phase::Warmup: return "warmup";
    case Phase::Measure: return "measure";
    case Phase::Done: return "done";
    }
    return "?";
}

long rampTarget()
{
    if (opt.scenario == "fanout")
        return opt.members + 1;
    return opt.conns;
}

void clientFailed(Client *cl, const char *why)
{
    if (!cl || cl->st == CState::Dead)
        return;
    const bool wasReady = cl->st == CState::Ready;
    ++g_failed;
    if (g_failed <= 5)
        std::fprintf(stderr, "loadgen: connection failed (%s)%s\n", why, wasReady ? " after setup" : "");
    if (opt.scenario == "connect") {
        if (g_phase == Phase::Measure)
            ++g_errors;
        closeClient(cl);
        return;
    }
    if (wasReady && g_phase != Phase::Ramp)
        ++g_errors;
    const bool retry = g_phase == Phase::Ramp && cl->attempts < opt.retries && !cl->counted;
    const int attempts = cl->attempts;
    const bool sender = cl->sender;
    const size_t server = cl->server;
    for (auto &slot : g_clients)
        if (slot == cl)
            slot = nullptr;
    if (g_sender == cl)
        g_sender = nullptr;
    closeClient(cl);
    if (retry) {
        Client *n = newClient(opt.scenario == "polling", nowNs(), long(server));
        if (n) {
            n->attempts = attempts + 1;
            n->sender = sender;
            if (sender)
                g_sender = n;
            for (auto &slot : g_clients)
                if (!slot) {
                    slot = n;
                    break;
                }
        }
    }
}

void onClientReady(Client *cl, uint64_t now)
{
    const std::string &sc = opt.scenario;
    if (sc == "connect") {
        if (g_phase == Phase::Measure) {
            ++g_count;
            g_hist.add(now - cl->tStart);
        }
        closeClient(cl);
        return;
    }
    if (sc == "fanout") {
        if (cl->sender) {
            cl->counted = true;
            ++g_ready;
        } else {
            sendJoin(cl, now); // counted once the join is acked
        }
        return;
    }
    cl->counted = true;
    ++g_ready;
    if (sc != "steady" && (g_phase == Phase::Warmup || g_phase == Phase::Measure))
        fillEchoes(cl, now);
}

void printMetric(const char *name, double value)
{
    std::printf("METRIC %s %s %.6g\n", opt.label.c_str(), name, value);
}

void startPhase(Phase p, uint64_t now)
{
    g_phase = p;
    g_phaseStart = now;
    g_bcastAtPhaseStart = g_bcastSent;
    g_steadyAtPhaseStart = g_steadySent;
    std::fprintf(stderr, "loadgen: %s: %s (%.1f s, %ld ready)\n", opt.label.c_str(), phaseName(p),
                 double(now - g_t0) / 1e9, g_ready);
    if (opt.scenario == "steady" && (p == Phase::Warmup || p == Phase::Measure)) {
        std::printf("%s %ld %ld %.3f\n", p == Phase::Warmup ? "READY" : "MEASURE", g_ready, g_failed,
                    double(now - g_t0) / 1e9);
        std::fflush(stdout);
    }
    if (p == Phase::Warmup) {
        g_rampEnd = now;
        if (opt.scenario == "echo" || opt.scenario == "binary" || opt.scenario == "polling")
            for (Client *cl : g_clients)
                if (cl && cl->st == CState::Ready)
                    fillEchoes(cl, now);
    } else if (p == Phase::Measure) {
        g_count = 0;
        g_bytes = 0;
        g_errors = 0;
        g_mismatch = 0;
        g_hist.reset();
        g_snapA = snapshot();
    }
}

void finish(uint64_t now)
{
    g_snapB = snapshot();
    g_phase = Phase::Done;
    const double secs = double(g_snapB.t - g_snapA.t) / 1e9;
    const double serverCpu = secs > 0 ? 100.0 * (g_snapB.tree.cpuSec - g_snapA.tree.cpuSec) / secs : 0;
    const double coreTotal = g_snapB.core.total - g_snapA.core.total;
    const double coreBusy = coreTotal > 0 ? 100.0 * (g_snapB.core.busy - g_snapA.core.busy) / coreTotal : 0;
    const double selfCpu = secs > 0 ? 100.0 * (g_snapB.self - g_snapA.self) / secs : 0;
    const std::string &sc = opt.scenario;
    if (sc == "idle") {
        const long conns = g_ready;
        const double perConnKib = conns ? double(g_snapB.tree.rssKb - g_baselineRssKb) / double(conns) : 0;
        const double rampSecs = double(g_rampEnd - g_rampStart) / 1e9;
        printMetric("connections", double(conns));
        printMetric("baseline_rss_mib", double(g_baselineRssKb) / 1024);
        printMetric("rss_mib", double(g_snapB.tree.rssKb) / 1024);
        printMetric("rss_per_conn_kib", perConnKib);
        printMetric("ramp_conn_per_s", rampSecs > 0 ? double(conns) / rampSecs : 0);
        printMetric("failed", double(g_failed));
        return;
    }
    const double rate = secs > 0 ? double(g_count) / secs : 0;
    if (sc == "echo" || sc == "polling")
        printMetric("acks_per_s", rate);
    else if (sc == "binary") {
        printMetric("acks_per_s", rate);
        printMetric("mib_per_s", secs > 0 ? double(g_bytes) / secs / 1048576.0 : 0);
    } else if (sc == "fanout") {
        printMetric("deliveries_per_s", rate);
        printMetric("broadcasts_per_s", secs > 0 ? double(g_bcastSentMeasured) / secs : 0);
        printMetric("members", double(opt.members));
    } else if (sc == "connect") {
        printMetric("connects_per_s", rate);
    } else if (sc == "steady") {
        printMetric("events_per_s", rate);
        printMetric("connections", double(g_ready));
    }
    // Work per second of server CPU: less sensitive than the rate to other load on the machine.
    const double serverCpuSec = g_snapB.tree.cpuSec - g_snapA.tree.cpuSec;
    printMetric("per_server_cpu_s", serverCpuSec > 0 ? double(g_count) / serverCpuSec : 0);
    printMetric("lat_p50_ms", g_hist.percentileMs(0.50));
    printMetric("lat_p99_ms", g_hist.percentileMs(0.99));
    printMetric("lat_max_ms", double(g_hist.maxValue) / 1e6);
    printMetric("server_cpu_pct", serverCpu);
    printMetric("server_core_busy_pct", coreBusy);
    printMetric("loadgen_cpu_pct", selfCpu);
    printMetric("server_rss_mib", double(g_snapB.tree.rssKb) / 1024);
    printMetric("errors", double(g_errors + g_mismatch));
    (void)now;
}

// Scenario clock: phase transitions, ramp, pacing. Returns the epoll timeout in ms.
int tick(uint64_t now)
{
    const std::string &sc = opt.scenario;
    const uint64_t sec = 1000000000ull;
    if (now > g_deadline) {
        std::fprintf(stderr, "loadgen: %s: overall deadline reached in phase %s\n", opt.label.c_str(),
                     phaseName(g_phase));
        g_exitError = true;
        if (g_phase == Phase::Measure)
            finish(now);
        g_phase = Phase::Done;
        return 0;
    }
    int timeout = 100;
    if (g_phase == Phase::Ramp) {
        if (sc == "connect") {
            startPhase(Phase::Warmup, now);
        } else {
            while (g_inSetup < opt.ramp && long(g_clients.size()) < rampTarget()) {
                Client *cl = newClient(sc == "polling", now);
                if (cl && sc == "fanout" && g_clients.empty()) {
                    cl->sender = true;
                    g_sender = cl;
                }
                g_clients.push_back(cl);
            }
            const bool all = sc == "fanout" ? (g_sender && g_sender->counted && g_joined >= opt.members)
                                            : g_ready >= rampTarget();
            if (all) {
                startPhase(Phase::Warmup, now);
            } else if (now - g_rampStart > uint64_t(opt.rampTimeout * 1e9)) {
                std::fprintf(stderr, "loadgen: %s: ramp timeout with %ld/%ld ready\n", opt.label.c_str(), g_ready,
                             rampTarget());
                if (sc == "idle" || (sc != "fanout" && g_ready > 0) || (sc == "fanout" && g_sender && g_sender->counted && g_joined > 0)) {
                    g_exitError = true;
                    startPhase(Phase::Warmup, now);
                } else {
                    g_exitError = true;
                    g_phase = Phase::Done;
                    return 0;
                }
            }
            timeout = 10;
        }
    }
    if (g_phase == Phase::Warmup) {
        const double wait = sc == "idle" ? opt.settle : opt.warmup;
        if (now - g_phaseStart >= uint64_t(wait * 1e9)) {
            startPhase(Phase::Measure, now);
            if (sc == "idle") {
                finish(now);
                return 0;
            }
        }
    } else if (g_phase == Phase::Measure) {
        if (now - g_phaseStart >= uint64_t(opt.duration * 1e9)) {
            finish(now);
            return 0;
        }
    }
    if (sc == "connect" && (g_phase == Phase::Warmup || g_phase == Phase::Measure)) {
        while (g_inSetup < opt.concurrency && g_opened < opt.maxConnects)
            if (!newClient(false, now))
                break;
        timeout = 10;
    }
    if (sc == "fanout" && (g_phase == Phase::Warmup || g_phase == Phase::Measure) && g_sender &&
        g_sender->st == CState::Ready) {
        const long members = g_joined;
        long allowed = 1000000;
        if (opt.rate > 0) {
            allowed = long(double(now - g_phaseStart) / 1e9 * opt.rate) + 1 - (g_bcastSent - g_bcastAtPhaseStart);
            timeout = 1;
        }
        for (long i = 0; i < allowed && i < 10000; ++i) {
            if ((g_bcastSent * members - g_delivered) >= long(opt.window) * members)
                break;
            sendBroadcast(now);
        }
    }
    if (sc == "steady" && (g_phase == Phase::Warmup || g_phase == Phase::Measure) && opt.rate > 0) {
        const long due = long(double(now - g_phaseStart) / 1e9 * opt.rate) + 1 - (g_steadySent - g_steadyAtPhaseStart);
        for (long i = 0; i < due && i < 10000; ++i)
            sendSteadyEvent();
        timeout = 1;
    }
    if (g_phase == Phase::Warmup || g_phase == Phase::Measure) {
        const double len = g_phase == Phase::Warmup ? (sc == "idle" ? opt.settle : opt.warmup) : opt.duration;
        const uint64_t end = g_phaseStart + uint64_t(len * 1e9);
        if (end > now)
            timeout = std::min<int>(timeout, int((end - now) / 1000000) + 1);
    }
    (void)sec;
    return timeout;
}

} // namespace

int main(int argc, char **argv)
{
    if (!parseArgs(argc, argv)) {
        usage();
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    g_rng ^= uint64_t(nowNs()) * 0x2545F4914F6CDD1Dull;

    const std::string &sc = opt.scenario;
    if (sc != "echo" && sc != "fanout" && sc != "binary" && sc != "idle" && sc != "connect" && sc != "polling" &&
        sc != "steady") {
        usage();
        return 2;
    }
    std::vector<int> ports{opt.port};
    ports.insert(ports.end(), opt.morePorts.begin(), opt.morePorts.end());
    for (const int port : ports) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(uint16_t(port));
        if (port <= 0 || port > 65535 || inet_pton(AF_INET, opt.host.c_str(), &addr.sin_addr) != 1) {
            std::fprintf(stderr, "bad host or port %s:%d\n", opt.host.c_str(), port);
            return 2;
        }
        g_addrs.push_back(addr);
    }
    g_hostHeader = opt.host + ":" + std::to_string(opt.port);
    g_payload.assign(size_t(opt.payload), 'x');
    g_echoAckBody = "[\"" + g_payload + "\"]";
    if (sc == "binary") {
        g_binData.resize(size_t(opt.binSize));
        for (auto &ch : g_binData)
            ch = char(rng32());
    }
    const long need = (sc == "fanout" ? opt.members + 1 : opt.conns) * (sc == "polling" ? 2 : 1) + 64;
    if (sc != "connect" && long(rl.rlim_cur) < need)
        std::fprintf(stderr, "loadgen: warning: fd limit %ld < %ld needed\n", long(rl.rlim_cur), need);

    g_epoll = epoll_create1(EPOLL_CLOEXEC);
    g_t0 = nowNs();
    g_rampStart = g_t0;
    g_baselineRssKb = treeStats(opt.pid).rssKb;
    g_deadline = g_t0 + uint64_t((opt.rampTimeout + opt.warmup + opt.settle + opt.duration + 10) * 1e9);

    std::vector<epoll_event> events(4096);
    int timeout = tick(nowNs());
    while (g_phase != Phase::Done) {
        const int n = epoll_wait(g_epoll, events.data(), int(events.size()), timeout);
        const uint64_t now = nowNs();
        for (int i = 0; i < n; ++i) {
            auto *c = static_cast<Conn *>(events[size_t(i)].data.ptr);
            if (c->closed)
                continue;
            const uint32_t ev = events[size_t(i)].events;
            if (c->connecting) {
                if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
                    int err = 0;
                    socklen_t len = sizeof err;
                    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                    if (err || (ev & (EPOLLERR | EPOLLHUP))) {
                        if (c->client)
                            clientFailed(c->client, err == ECONNREFUSED ? "connection refused" : "connect error");
                        else
                            closeConn(c);
                        continue;
                    }
                    onConnected(c);
                }
            }
            if (!c->closed && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                onReadable(c, now);
            if (!c->closed && (ev & EPOLLOUT))
                markDirty(c);
        }
        timeout = tick(now);
        // polling: POSTs queued while handling responses
        for (size_t i = 0; i < g_postDirty.size(); ++i) {
            Client *cl = g_postDirty[i];
            if (cl && cl->st != CState::Dead)
                tryPost(cl);
        }
        g_postDirty.clear();
        // one write per connection per loop iteration
        for (size_t i = 0; i < g_dirty.size(); ++i) {
            Conn *c = g_dirty[i];
            c->dirty = false;
            if (!c->closed)
                flush(c);
        }
        g_dirty.clear();
        for (Conn *c : g_graveyard)
            delete c;
        g_graveyard.clear();
        for (Client *cl : g_clientGraveyard) {
            for (auto &p : g_postDirty)
                if (p == cl)
                    p = nullptr;
            delete cl;
        }
        g_clientGraveyard.clear();
    }
    if (sc == "steady" && !g_exitError) {
        // Keep the connections until the caller closes our stdin (at most a minute), so that it
        // can read its figures before they all disconnect at once.
        std::printf("DONE\n");
        std::fflush(stdout);
        pollfd in{0, POLLIN, 0};
        char sink[256];
        while (poll(&in, 1, 60000) > 0 && read(0, sink, sizeof sink) > 0) {
        }
    }
    std::fflush(stdout);
    // Tear down quickly: the server is stopped by the caller anyway.
    return g_exitError ? 1 : 0;
}

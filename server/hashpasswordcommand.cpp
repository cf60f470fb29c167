#include "hashpasswordcommand.h"

#include <admin/passwordhash.h>

#include <QtCore/QByteArray>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace Plugboard {

namespace {


QByteArray readLine(bool echo)
{
    termios saved{};
    const bool terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal && !echo) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar()) {
        if (line.size() <= PasswordHash::MaxPasswordBytes)
            line.append(char(c));
    }
    if (terminal && !echo) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputc('\n', stderr);
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

int runHashPasswordCommand()
{
    const bool terminal = isatty(STDIN_FILENO);
    if (terminal)
        std::fputs("password: ", stderr);
    const QByteArray password = readLine(false);
    if (terminal) {
        std::fputs("again: ", stderr);
        if (readLine(false) != password) {
            std::fputs("plugboard: the passwords differ\n", stderr);
            return 1;
        }
    }
    if (password.isEmpty()) {
        std::fputs("plugboard: the password is empty\n", stderr);
        return 1;
    }
    if (password.size() > PasswordHash::MaxPasswordBytes) {
        std::fprintf(stderr, "plugboard: bcrypt uses only the first %d bytes of a password; choose a shorter one\n",
                     int(PasswordHash::MaxPasswordBytes));
        return 1;
    }
    const QByteArray hash = PasswordHash::hash(password);
    if (hash.isEmpty()) {
        std::fputs("plugboard: could not hash the password (no random source?)\n", stderr);
        return 1;
    }
    std::printf("%s\n", hash.constData());
    return 0;
}

} // namespace Plugboard

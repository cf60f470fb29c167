// plugboard-cli's pure parts: its JSON with {"$binary": "<base64>"} for binary values, the
// interactive prompt's words, and the command line with its usage errors.

#include "clijson.h"
#include "clioptions.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtTest/QTest>

using namespace Plugboard;
using namespace Plugboard::Cli;
using StringPairs = QList<QPair<QString, QString>>;
using HeaderPairs = QList<QPair<QByteArray, QByteArray>>;

namespace {

QCborMap binaryObject(const char *base64)
{
    return QCborMap{{QStringLiteral("$binary"), QString::fromLatin1(base64)}};
}

QCborValue bytes(const char *data, qsizetype size)
{
    return QCborValue(QByteArray(data, size));
}

QStringList args(std::initializer_list<const char *> words)
{
    QStringList list;
    for (const char *word : words)
        list.append(QString::fromUtf8(word));
    return list;
}

} // namespace

class tst_CliOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // clijson
    void fromCliJson_data();
    void fromCliJson();
    void toCliJson_data();
    void toCliJson();
    void binaryRoundTrip();
    void jsonLine_data();
    void jsonLine();
    void splitWords_data();
    void splitWords();
    void parseArgumentWords_data();
    void parseArgumentWords();
    void parseArgumentWordsErrors_data();
    void parseArgumentWordsErrors();
    void parseArgumentArray_data();
    void parseArgumentArray();
    void parseArgumentArrayErrors_data();
    void parseArgumentArrayErrors();

    // clioptions
    void defaults();
    void url_data();
    void url();
    void namespaceOption_data();
    void namespaceOption();
    void path();
    void auth();
    void query();
    void headers();
    void transports_data();
    void transports();
    void parser_data();
    void parser();
    void emits();
    void ackTimeoutAppliesToThePrecedingEmit();
    void flags();
    void help_data();
    void help();
    void errors_data();
    void errors();
    void reservedEventNames_data();
    void reservedEventNames();
    void usageNamesEveryOption();
};

void tst_CliOptions::fromCliJson_data()
{
    QTest::addColumn<QCborValue>("input");
    QTest::addColumn<QCborValue>("expected");

    QTest::newRow("binary") << QCborValue(binaryObject("aGk=")) << bytes("hi", 2);
    QTest::newRow("empty binary") << QCborValue(binaryObject("")) << bytes("", 0);
    QTest::newRow("binary with zero and high bytes")
        << QCborValue(binaryObject("AAH/")) << bytes("\x00\x01\xff", 3);
    QTest::newRow("in an array") << QCborValue(
                                        QCborArray{QStringLiteral("a"), binaryObject("aGk="), 1})
                                 << QCborValue(QCborArray{QStringLiteral("a"), bytes("hi", 2), 1});
    QTest::newRow("in a map, nested")
        << QCborValue(QCborMap{
               {QStringLiteral("file"), QCborMap{{QStringLiteral("data"), binaryObject("aGk=")},
                                                 {QStringLiteral("name"), QStringLiteral("x")}}}})
        << QCborValue(QCborMap{
               {QStringLiteral("file"), QCborMap{{QStringLiteral("data"), bytes("hi", 2)},
                                                 {QStringLiteral("name"), QStringLiteral("x")}}}});
    // Only an object whose one key is "$binary" with a string is binary; its siblings still
    // convert.
    QTest::newRow("$binary beside another key")
        << QCborValue(QCborMap{{QStringLiteral("$binary"), QStringLiteral("aGk=")},
                               {QStringLiteral("x"), binaryObject("aGk=")}})
        << QCborValue(QCborMap{{QStringLiteral("$binary"), QStringLiteral("aGk=")},
                               {QStringLiteral("x"), bytes("hi", 2)}});
    QTest::newRow("$binary not a string") << QCborValue(QCborMap{{QStringLiteral("$binary"), 5}})
                                          << QCborValue(QCborMap{{QStringLiteral("$binary"), 5}});
    QTest::newRow("other key")
        << QCborValue(QCborMap{{QStringLiteral("binary"), QStringLiteral("aGk=")}})
        << QCborValue(QCborMap{{QStringLiteral("binary"), QStringLiteral("aGk=")}});
    QTest::newRow("string") << QCborValue(QStringLiteral("aGk="))
                            << QCborValue(QStringLiteral("aGk="));
    QTest::newRow("integer") << QCborValue(42) << QCborValue(42);
    QTest::newRow("double") << QCborValue(1.5) << QCborValue(1.5);
    QTest::newRow("null") << QCborValue(nullptr) << QCborValue(nullptr);
    QTest::newRow("empty map") << QCborValue(QCborMap()) << QCborValue(QCborMap());
    QTest::newRow("empty array") << QCborValue(QCborArray()) << QCborValue(QCborArray());
}

void tst_CliOptions::fromCliJson()
{
    QFETCH(QCborValue, input);
    QFETCH(QCborValue, expected);

    QCOMPARE(Cli::fromCliJson(input), expected);
}

void tst_CliOptions::toCliJson_data()
{
    QTest::addColumn<QCborValue>("input");
    QTest::addColumn<QCborValue>("expected");

    QTest::newRow("binary") << bytes("hi", 2) << QCborValue(binaryObject("aGk="));
    QTest::newRow("empty binary") << bytes("", 0) << QCborValue(binaryObject(""));
    QTest::newRow("in an array") << QCborValue(QCborArray{1, bytes("\x00\x01\xff", 3)})
                                 << QCborValue(QCborArray{1, binaryObject("AAH/")});
    QTest::newRow("in a map in an array")
        << QCborValue(QCborArray{
               QCborMap{{QStringLiteral("b"), bytes("hi", 2)}, {QStringLiteral("n"), true}}})
        << QCborValue(QCborArray{
               QCborMap{{QStringLiteral("b"), binaryObject("aGk=")}, {QStringLiteral("n"), true}}});
    QTest::newRow("string") << QCborValue(QStringLiteral("hi")) << QCborValue(QStringLiteral("hi"));
    QTest::newRow("integer") << QCborValue(-7) << QCborValue(-7);
    QTest::newRow("bool") << QCborValue(false) << QCborValue(false);
}

void tst_CliOptions::toCliJson()
{
    QFETCH(QCborValue, input);
    QFETCH(QCborValue, expected);

    QCOMPARE(Cli::toCliJson(input), expected);
}

void tst_CliOptions::binaryRoundTrip()
{
    QByteArray all(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        all[i] = char(i);
    const QCborValue value(QCborArray{
        QCborValue(all), QCborMap{{QStringLiteral("k"), QCborArray{QCborValue(QByteArray("x"))}}},
        QStringLiteral("text")});
    QCOMPARE(Cli::fromCliJson(Cli::toCliJson(value)), value);
}

void tst_CliOptions::jsonLine_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::addColumn<QByteArray>("line");

    QTest::newRow("event arguments")
        << QCborValue(QCborArray{QStringLiteral("chat"), bytes("hi", 2), 1, 1.5, nullptr})
        << QByteArray("[\"chat\",{\"$binary\":\"aGk=\"},1,1.5,null]\n");
    QTest::newRow("nested binary")
        << QCborValue(QCborMap{
               {QStringLiteral("a"), QCborMap{{QStringLiteral("b"), bytes("\x00\x01\xff", 3)}}}})
        << QByteArray("{\"a\":{\"b\":{\"$binary\":\"AAH/\"}}}\n");
    QTest::newRow("empty binary") << bytes("", 0) << QByteArray("{\"$binary\":\"\"}\n");
    QTest::newRow("newline in a string stays escaped")
        << QCborValue(QStringLiteral("a\nb")) << QByteArray("\"a\\nb\"\n");
    QTest::newRow("empty array") << QCborValue(QCborArray()) << QByteArray("[]\n");
}

void tst_CliOptions::jsonLine()
{
    QFETCH(QCborValue, value);
    QFETCH(QByteArray, line);

    QCOMPARE(Cli::jsonLine(value), line);
}

void tst_CliOptions::splitWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("words");

    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("only spaces") << QStringLiteral("   \t ") << QStringList();
    QTest::newRow("plain words") << QStringLiteral("emit chat hello")
                                 << args({"emit", "chat", "hello"});
    QTest::newRow("runs of white space")
        << QStringLiteral("  emit\t chat \n hello  ") << args({"emit", "chat", "hello"});
    QTest::newRow("string with spaces") << QStringLiteral("emit chat \"hello world\" 2")
                                        << args({"emit", "chat", "\"hello world\"", "2"});
    QTest::newRow("escaped quote in a string")
        << QStringLiteral("\"a \\\" b\" c") << args({"\"a \\\" b\"", "c"});
    QTest::newRow("escaped backslash before the closing quote")
        << QStringLiteral("\"a\\\\\" b") << args({"\"a\\\\\"", "b"});
    QTest::newRow("array and object with spaces")
        << QStringLiteral("[1, 2] {\"a\": [3, 4]}") << args({"[1, 2]", "{\"a\": [3, 4]}"});
    QTest::newRow("nested brackets")
        << QStringLiteral("[[1, [2]], 3] x") << args({"[[1, [2]], 3]", "x"});
    QTest::newRow("bracket inside a string inside brackets")
        << QStringLiteral("[\"] {\" 1] x") << args({"[\"] {\" 1]", "x"});
    QTest::newRow("quote in the middle of a word")
        << QStringLiteral("a\"b c\"d e") << args({"a\"b c\"d", "e"});
    QTest::newRow("stray closing bracket") << QStringLiteral("] a") << args({"]", "a"});
    QTest::newRow("unclosed bracket keeps the rest")
        << QStringLiteral("x [1, 2 3") << args({"x", "[1, 2 3"});
    QTest::newRow("unclosed string keeps the rest")
        << QStringLiteral("x \"a b") << args({"x", "\"a b"});
    QTest::newRow("non-ASCII") << QStringLiteral("caf\u00e9 \u2713")
                               << QStringList{QStringLiteral("caf\u00e9"),
                                              QStringLiteral("\u2713")};
}

void tst_CliOptions::splitWords()
{
    QFETCH(QString, text);
    QFETCH(QStringList, words);

    QCOMPARE(Cli::splitWords(text), words);
}

void tst_CliOptions::parseArgumentWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QCborArray>("expected");

    QTest::newRow("nothing") << QString() << QCborArray();
    QTest::newRow("bare word") << QStringLiteral("hello") << QCborArray{QStringLiteral("hello")};
    QTest::newRow("words and an object")
        << QStringLiteral("chat hello {\"a\": 1}")
        << QCborArray{QStringLiteral("chat"), QStringLiteral("hello"),
                      QCborMap{{QStringLiteral("a"), 1}}};
    QTest::newRow("JSON scalars") << QStringLiteral("1 2.5 -3 true false null")
                                  << QCborArray{1, 2.5, -3, true, false, nullptr};
    QTest::newRow("JSON strings") << QStringLiteral("\"hello world\" \"1\" \"\"")
                                  << QCborArray{QStringLiteral("hello world"), QStringLiteral("1"),
                                                QString()};
    QTest::newRow("nested containers")
        << QStringLiteral("[1, [2, 3]] {\"k\": [\"a b\"]}")
        << QCborArray{QCborArray{1, QCborArray{2, 3}},
                      QCborMap{{QStringLiteral("k"), QCborArray{QStringLiteral("a b")}}}};
    QTest::newRow("binary") << QStringLiteral("{\"$binary\": \"aGk=\"} [{\"$binary\":\"AAH/\"}]")
                            << QCborArray{bytes("hi", 2), QCborArray{bytes("\x00\x01\xff", 3)}};
    // Not JSON and not starting like a string, array or object: the word as a string.
    QTest::newRow("words that are almost JSON")
        << QStringLiteral("1abc - 01 tru nul")
        << QCborArray{QStringLiteral("1abc"), QStringLiteral("-"), QStringLiteral("01"),
                      QStringLiteral("tru"), QStringLiteral("nul")};
    QTest::newRow("non-ASCII") << QStringLiteral("caf\u00e9 \"\u2713\"")
                               << QCborArray{QStringLiteral("caf\u00e9"), QStringLiteral("\u2713")};
}

void tst_CliOptions::parseArgumentWords()
{
    QFETCH(QString, text);
    QFETCH(QCborArray, expected);

    const ParsedArguments parsed = Cli::parseArgumentWords(text);
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.args, expected);
}

void tst_CliOptions::parseArgumentWordsErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("errorStart"); // the rest is the JSON parser's own reason

    QTest::newRow("unterminated string")
        << QStringLiteral("hi \"unterminated") << QStringLiteral("not JSON: \"unterminated (");
    QTest::newRow("unterminated array")
        << QStringLiteral("[1, 2") << QStringLiteral("not JSON: [1, 2 (");
    QTest::newRow("bad object") << QStringLiteral("a {\"a\":} b")
                                << QStringLiteral("not JSON: {\"a\":} (");
    QTest::newRow("trailing comma")
        << QStringLiteral("[1,] {\"a\": 1}") << QStringLiteral("not JSON: [1,] (");
}

void tst_CliOptions::parseArgumentWordsErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, errorStart);

    const ParsedArguments parsed = Cli::parseArgumentWords(text);
    QVERIFY2(parsed.error.startsWith(errorStart), qPrintable(parsed.error));
    QVERIFY2(parsed.error.endsWith(QLatin1Char(')')), qPrintable(parsed.error));
    QVERIFY(parsed.error.size() > errorStart.size() + 1); // a reason is given
}

void tst_CliOptions::parseArgumentArray_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QCborArray>("expected");

    QTest::newRow("empty") << QByteArray("[]") << QCborArray();
    QTest::newRow("values") << QByteArray("[\"hello\", 1, 2.5, true, null, {\"a\": [1]}]")
                            << QCborArray{QStringLiteral("hello"),
                                          1,
                                          2.5,
                                          true,
                                          nullptr,
                                          QCborMap{{QStringLiteral("a"), QCborArray{1}}}};
    QTest::newRow("binary") << QByteArray("[{\"$binary\":\"aGk=\"}, {\"a\": {\"$binary\":\"\"}}]")
                            << QCborArray{bytes("hi", 2),
                                          QCborMap{{QStringLiteral("a"), bytes("", 0)}}};
    QTest::newRow("white space around") << QByteArray(" \n[1]\t") << QCborArray{1};
}

void tst_CliOptions::parseArgumentArray()
{
    QFETCH(QByteArray, json);
    QFETCH(QCborArray, expected);

    const ParsedArguments parsed = Cli::parseArgumentArray(json);
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.args, expected);
}

void tst_CliOptions::parseArgumentArrayErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("prefixOnly"); // the JSON parser's own reason follows

    const QString notArray =
        QStringLiteral("the arguments must be a JSON array, as [\"hello\", 1]");
    const QString notJson = QStringLiteral("not JSON: ");
    QTest::newRow("object") << QByteArray("{}") << notArray << false;
    QTest::newRow("string") << QByteArray("\"hello\"") << notArray << false;
    QTest::newRow("number") << QByteArray("1") << notArray << false;
    QTest::newRow("null") << QByteArray("null") << notArray << false;
    QTest::newRow("binary object") << QByteArray("{\"$binary\":\"aGk=\"}") << notArray << false;
    QTest::newRow("empty") << QByteArray() << notJson << true;
    QTest::newRow("bare word") << QByteArray("hello") << notJson << true;
    QTest::newRow("unterminated") << QByteArray("[1") << notJson << true;
    QTest::newRow("trailing garbage") << QByteArray("[1] 2") << notJson << true;
    QTest::newRow("single quotes") << QByteArray("['hi']") << notJson << true;
}

void tst_CliOptions::parseArgumentArrayErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QFETCH(bool, prefixOnly);

    const ParsedArguments parsed = Cli::parseArgumentArray(json);
    if (prefixOnly) {
        QVERIFY2(parsed.error.startsWith(error), qPrintable(parsed.error));
        QVERIFY(parsed.error.size() > error.size());
    } else {
        QCOMPARE(parsed.error, error);
    }
    QVERIFY(parsed.args.isEmpty());
}

void tst_CliOptions::defaults()
{
    const CommandLine cl = parseCommandLine(args({"http://localhost:3000"}));
    QCOMPARE(cl.error, QString());
    QVERIFY(!cl.help);
    const CliOptions &o = cl.options;
    QCOMPARE(o.url, QUrl(QStringLiteral("http://localhost:3000")));
    QCOMPARE(o.nsp, QStringLiteral("/"));
    QCOMPARE(o.path, QStringLiteral("/socket.io"));
    QVERIFY(o.auth.isEmpty());
    QVERIFY(o.query.isEmpty());
    QVERIFY(o.headers.isEmpty());
    QCOMPARE(o.transports, args({"polling", "websocket"}));
    QVERIFY(o.parser == SocketIO::Parser::Default);
    QVERIFY(o.emits.isEmpty());
    QVERIFY(!o.listen);
    QCOMPARE(o.count, -1);
    QCOMPARE(o.seconds, -1.0);
    QVERIFY(o.reconnect);
    QVERIFY(!o.insecure);
    QVERIFY(!o.interactive);
}

void tst_CliOptions::url_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("nsp");

    QTest::newRow("http") << QStringLiteral("http://localhost:3000")
                          << QUrl(QStringLiteral("http://localhost:3000")) << QStringLiteral("/");
    QTest::newRow("no scheme: http")
        << QStringLiteral("localhost:3000") << QUrl(QStringLiteral("http://localhost:3000"))
        << QStringLiteral("/");
    QTest::newRow("host only") << QStringLiteral("example.com")
                               << QUrl(QStringLiteral("http://example.com")) << QStringLiteral("/");
    QTest::newRow("https") << QStringLiteral("https://example.com")
                           << QUrl(QStringLiteral("https://example.com")) << QStringLiteral("/");
    QTest::newRow("ws") << QStringLiteral("ws://127.0.0.1:8080")
                        << QUrl(QStringLiteral("ws://127.0.0.1:8080")) << QStringLiteral("/");
    QTest::newRow("wss") << QStringLiteral("wss://example.com")
                         << QUrl(QStringLiteral("wss://example.com")) << QStringLiteral("/");
    QTest::newRow("IPv6") << QStringLiteral("http://[::1]:3000")
                          << QUrl(QStringLiteral("http://[::1]:3000")) << QStringLiteral("/");
    QTest::newRow("root path") << QStringLiteral("http://localhost:3000/")
                               << QUrl(QStringLiteral("http://localhost:3000/"))
                               << QStringLiteral("/");
    // As socket.io-client's io(url): the path of the URL is the namespace.
    QTest::newRow("path is the namespace")
        << QStringLiteral("http://localhost:3000/admin")
        << QUrl(QStringLiteral("http://localhost:3000/admin")) << QStringLiteral("/admin");
    QTest::newRow("path without scheme")
        << QStringLiteral("localhost:3000/chat")
        << QUrl(QStringLiteral("http://localhost:3000/chat")) << QStringLiteral("/chat");
    QTest::newRow("path and query")
        << QStringLiteral("wss://example.com/chat?room=1")
        << QUrl(QStringLiteral("wss://example.com/chat?room=1")) << QStringLiteral("/chat");
    QTest::newRow("nested path") << QStringLiteral("http://h/a/b")
                                 << QUrl(QStringLiteral("http://h/a/b")) << QStringLiteral("/a/b");
}

void tst_CliOptions::url()
{
    QFETCH(QString, argument);
    QFETCH(QUrl, url);
    QFETCH(QString, nsp);

    const CommandLine cl = parseCommandLine({argument});
    QCOMPARE(cl.error, QString());
    QCOMPARE(cl.options.url, url);
    QCOMPARE(cl.options.nsp, nsp);
}

void tst_CliOptions::namespaceOption_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("nsp");

    QTest::newRow("with slash") << args({"http://h", "--namespace", "/chat"})
                                << QStringLiteral("/chat");
    QTest::newRow("slash added") << args({"http://h", "--namespace", "chat"})
                                 << QStringLiteral("/chat");
    QTest::newRow("empty is the main namespace")
        << args({"http://h", "--namespace", ""}) << QStringLiteral("/");
    QTest::newRow("wins over the URL's path")
        << args({"http://h/admin", "--namespace", "/chat"}) << QStringLiteral("/chat");
    QTest::newRow("wins over the URL's path when given first")
        << args({"--namespace", "/chat", "http://h/admin"}) << QStringLiteral("/chat");
    QTest::newRow("main namespace wins over the URL's path")
        << args({"http://h/admin", "--namespace", "/"}) << QStringLiteral("/");
    QTest::newRow("last one wins")
        << args({"http://h", "--namespace", "/a", "--namespace", "b"}) << QStringLiteral("/b");
}

void tst_CliOptions::namespaceOption()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, nsp);

    const CommandLine cl = parseCommandLine(arguments);
    QCOMPARE(cl.error, QString());
    QCOMPARE(cl.options.nsp, nsp);
}

void tst_CliOptions::path()
{
    const CommandLine cl = parseCommandLine(args({"http://h/chat", "--path", "/custom/"}));
    QCOMPARE(cl.error, QString());
    QCOMPARE(cl.options.path, QStringLiteral("/custom/"));
    QCOMPARE(cl.options.nsp, QStringLiteral("/chat")); // the URL's path is not the engine path
}

void tst_CliOptions::auth()
{
    const CommandLine cl = parseCommandLine(
        args({"http://h", "--auth",
              "{\"token\": \"abc\", \"n\": 1, \"key\": {\"$binary\": \"aGk=\"}}"}));
    QCOMPARE(cl.error, QString());
    const QCborMap expected{{QStringLiteral("token"), QStringLiteral("abc")},
                            {QStringLiteral("n"), 1},
                            {QStringLiteral("key"), bytes("hi", 2)}};
    QCOMPARE(cl.options.auth, expected);

    const CommandLine empty = parseCommandLine(args({"http://h", "--auth", "{}"}));
    QCOMPARE(empty.error, QString());
    QVERIFY(empty.options.auth.isEmpty());
}

void tst_CliOptions::query()
{
    const CommandLine cl =
        parseCommandLine(args({"--query", "token=abc", "http://h", "--query", "expr=a=b", "--query",
                               "empty=", "--query", "token=again"}));
    QCOMPARE(cl.error, QString());
    // In order, duplicates kept, the value is everything after the first '='.
    const StringPairs expected{{QStringLiteral("token"), QStringLiteral("abc")},
                               {QStringLiteral("expr"), QStringLiteral("a=b")},
                               {QStringLiteral("empty"), QString()},
                               {QStringLiteral("token"), QStringLiteral("again")}};
    QCOMPARE(cl.options.query, expected);
}

void tst_CliOptions::headers()
{
    const CommandLine cl = parseCommandLine(
        args({"http://h", "--header", "Authorization: Bearer a:b", "--header", "  X-A  :1  ",
              "--header", "X-Empty:", "--header", "X-Uni: \u2713"}));
    QCOMPARE(cl.error, QString());
    // Names keep their case; both sides trimmed; the value is everything after the first ':'.
    const HeaderPairs expected{{"Authorization", "Bearer a:b"},
                               {"X-A", "1"},
                               {"X-Empty", ""},
                               {"X-Uni", "\xe2\x9c\x93"}};
    QCOMPARE(cl.options.headers, expected);
}

void tst_CliOptions::transports_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("transports");

    QTest::newRow("websocket only") << QStringLiteral("websocket") << args({"websocket"});
    QTest::newRow("polling only") << QStringLiteral("polling") << args({"polling"});
    QTest::newRow("order kept") << QStringLiteral("websocket,polling")
                                << args({"websocket", "polling"});
    QTest::newRow("empty parts skipped")
        << QStringLiteral(",polling,,websocket,") << args({"polling", "websocket"});
}

void tst_CliOptions::transports()
{
    QFETCH(QString, value);
    QFETCH(QStringList, transports);

    const CommandLine cl =
        parseCommandLine({QStringLiteral("http://h"), QStringLiteral("--transports"), value});
    QCOMPARE(cl.error, QString());
    QCOMPARE(cl.options.transports, transports);
}

void tst_CliOptions::parser_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<SocketIO::Parser>("parser");

    QTest::newRow("msgpack") << QStringLiteral("msgpack") << SocketIO::Parser::Msgpack;
    QTest::newRow("default") << QStringLiteral("default") << SocketIO::Parser::Default;
}

void tst_CliOptions::parser()
{
    QFETCH(QString, value);
    QFETCH(SocketIO::Parser, parser);

    const CommandLine cl =
        parseCommandLine({QStringLiteral("http://h"), QStringLiteral("--parser"), value});
    QCOMPARE(cl.error, QString());
    QVERIFY(cl.options.parser == parser);
}

void tst_CliOptions::emits()
{
    const CommandLine cl = parseCommandLine(
        args({"http://h", "--emit", "chat", "[\"hi\", 1]", "--emit", "upload",
              "[{\"$binary\": \"AAH/\"}, {\"name\": \"f\"}]", "--emit", "ping", "[]"}));
    QCOMPARE(cl.error, QString());
    const QList<EmitRequest> &emits = cl.options.emits;
    QCOMPARE(emits.size(), 3);
    QCOMPARE(emits.at(0).event, QStringLiteral("chat"));
    QCOMPARE(emits.at(0).args, (QCborArray{QStringLiteral("hi"), 1}));
    QCOMPARE(emits.at(1).event, QStringLiteral("upload"));
    QCOMPARE(emits.at(1).args,
             (QCborArray{bytes("\x00\x01\xff", 3),
                         QCborMap{{QStringLiteral("name"), QStringLiteral("f")}}}));
    QCOMPARE(emits.at(2).event, QStringLiteral("ping"));
    QVERIFY(emits.at(2).args.isEmpty());
    for (const EmitRequest &emit : emits)
        QCOMPARE(emit.ackTimeoutMs, 10000);
}

void tst_CliOptions::ackTimeoutAppliesToThePrecedingEmit()
{
    const CommandLine cl = parseCommandLine(
        args({"http://h", "--emit", "a", "[1]", "--ack-timeout", "500", "--emit", "b", "[]",
              "--listen", "--emit", "c", "[]", "--count", "2", "--ack-timeout", "20"}));
    QCOMPARE(cl.error, QString());
    const QList<EmitRequest> &emits = cl.options.emits;
    QCOMPARE(emits.size(), 3);
    QCOMPARE(emits.at(0).ackTimeoutMs, 500);
    QCOMPARE(emits.at(1).ackTimeoutMs, 10000);
    QCOMPARE(emits.at(2).ackTimeoutMs, 20); // other options between do not detach it
    QVERIFY(cl.options.listen);
    QCOMPARE(cl.options.count, 2);

    const CommandLine twice = parseCommandLine(
        args({"http://h", "--emit", "a", "[]", "--ack-timeout", "500", "--ack-timeout", "700"}));
    QCOMPARE(twice.error, QString());
    QCOMPARE(twice.options.emits.constFirst().ackTimeoutMs, 700);
}

void tst_CliOptions::flags()
{
    const CommandLine cl =
        parseCommandLine(args({"--listen", "--no-reconnect", "http://h", "--insecure", "--count",
                               "3", "--seconds", "1.5"}));
    QCOMPARE(cl.error, QString());
    QVERIFY(cl.options.listen);
    QVERIFY(!cl.options.reconnect);
    QVERIFY(cl.options.insecure);
    QCOMPARE(cl.options.count, 3);
    QCOMPARE(cl.options.seconds, 1.5);
    QVERIFY(!cl.options.interactive); // the caller decides it
}

void tst_CliOptions::help_data()
{
    QTest::addColumn<QStringList>("arguments");

    QTest::newRow("--help") << args({"--help"});
    QTest::newRow("-h") << args({"-h"});
    QTest::newRow("after a URL") << args({"http://h", "--listen", "--help"});
    QTest::newRow("before a bad option") << args({"-h", "--bogus"});
}

void tst_CliOptions::help()
{
    QFETCH(QStringList, arguments);

    const CommandLine cl = parseCommandLine(arguments);
    QVERIFY(cl.help);
    QCOMPARE(cl.error, QString());
}

void tst_CliOptions::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("prefixOnly"); // the JSON parser's own reason follows

    const auto row = [](const char *name, const QStringList &arguments, const QString &error,
                        bool prefixOnly = false) {
        QTest::newRow(name) << arguments << error << prefixOnly;
    };

    row("no URL", {}, QStringLiteral("a server URL is needed, as http://localhost:3000"));
    row("options but no URL", args({"--listen"}),
        QStringLiteral("a server URL is needed, as http://localhost:3000"));
    row("second URL", args({"http://h", "http://other"}),
        QStringLiteral("unexpected argument http://other"));
    row("unknown option", args({"http://h", "--bogus"}), QStringLiteral("unknown option --bogus"));
    row("unknown option before the URL", args({"--verbose", "http://h"}),
        QStringLiteral("unknown option --verbose"));
    row("bad option before a good one", args({"http://h", "--bogus", "--help"}),
        QStringLiteral("unknown option --bogus"));

    row("ftp URL", args({"ftp://h"}),
        QStringLiteral("ftp://h is not an http(s):// or ws(s):// URL"));
    row("file URL", args({"file:///tmp/x"}),
        QStringLiteral("file:///tmp/x is not an http(s):// or ws(s):// URL"));
    row("no host", args({"http://"}),
        QStringLiteral("http:// is not an http(s):// or ws(s):// URL"));
    row("space in the host", args({"http://exa mple.com"}),
        QStringLiteral("http://exa mple.com is not an http(s):// or ws(s):// URL"));
    row("bad port", args({"http://h:99999"}),
        QStringLiteral("http://h:99999 is not an http(s):// or ws(s):// URL"));

    row("--namespace without a value", args({"http://h", "--namespace"}),
        QStringLiteral("--namespace needs a namespace, as /chat"));
    row("--path without a value", args({"http://h", "--path"}),
        QStringLiteral("--path needs a path, as /socket.io"));

    row("--auth without a value", args({"http://h", "--auth"}),
        QStringLiteral("--auth needs a JSON object"));
    const QString authObject =
        QStringLiteral("--auth must be a JSON object, as {\"token\":\"abc\"}");
    row("--auth array", args({"http://h", "--auth", "[1]"}), authObject);
    row("--auth string", args({"http://h", "--auth", "\"abc\""}), authObject);
    row("--auth not JSON", args({"http://h", "--auth", "{token: abc}"}), authObject);
    row("--auth a binary object", args({"http://h", "--auth", "{\"$binary\": \"aGk=\"}"}),
        authObject);

    row("--query without a value", args({"http://h", "--query"}),
        QStringLiteral("--query needs K=V"));
    row("--query without =", args({"http://h", "--query", "token"}),
        QStringLiteral("--query needs K=V"));

    row("--header without a value", args({"http://h", "--header"}),
        QStringLiteral("--header needs K:V"));
    row("--header without :", args({"http://h", "--header", "X-A=1"}),
        QStringLiteral("--header needs K:V"));
    row("--header without a name", args({"http://h", "--header", " : v"}),
        QStringLiteral("--header  : v: not a valid header"));
    row("--header CR LF in the value", args({"http://h", "--header", "X-A: 1\r\nX-B: 2"}),
        QStringLiteral("--header X-A: 1\r\nX-B: 2: not a valid header"));
    row("--header LF in the value", args({"http://h", "--header", "X-A: 1\nX-B"}),
        QStringLiteral("--header X-A: 1\nX-B: not a valid header"));
    row("--header LF in the name", args({"http://h", "--header", "X\nA: 1"}),
        QStringLiteral("--header X\nA: 1: not a valid header"));
    row("--header CR in the name", args({"http://h", "--header", "X\rA: 1"}),
        QStringLiteral("--header X\rA: 1: not a valid header"));

    row("--transports without a value", args({"http://h", "--transports"}),
        QStringLiteral("--transports needs a list, as websocket,polling"));
    row("--transports unknown", args({"http://h", "--transports", "ws"}),
        QStringLiteral("--transports: unknown transport \"ws\" (polling, websocket)"));
    row("--transports one unknown", args({"http://h", "--transports", "polling,webtransport"}),
        QStringLiteral("--transports: unknown transport \"webtransport\" (polling, websocket)"));
    row("--transports case", args({"http://h", "--transports", "WebSocket"}),
        QStringLiteral("--transports: unknown transport \"WebSocket\" (polling, websocket)"));
    row("--transports empty", args({"http://h", "--transports", ""}),
        QStringLiteral("--transports needs at least one transport"));
    row("--transports commas only", args({"http://h", "--transports", ",,"}),
        QStringLiteral("--transports needs at least one transport"));

    row("--parser without a value", args({"http://h", "--parser"}),
        QStringLiteral("--parser is default or msgpack"));
    row("--parser unknown", args({"http://h", "--parser", "json"}),
        QStringLiteral("--parser is default or msgpack"));

    const QString emitNeeds =
        QStringLiteral("--emit needs an event name and a JSON array, as --emit chat '[\"hi\"]'");
    row("--emit without a value", args({"http://h", "--emit"}), emitNeeds);
    row("--emit without arguments", args({"http://h", "--emit", "chat"}), emitNeeds);
    row("--emit arguments not JSON", args({"http://h", "--emit", "chat", "hello"}),
        QStringLiteral("--emit chat: not JSON: "), true);
    row("--emit arguments unterminated", args({"http://h", "--emit", "chat", "[\"hi\""}),
        QStringLiteral("--emit chat: not JSON: "), true);
    row("--emit arguments an object", args({"http://h", "--emit", "chat", "{\"a\": 1}"}),
        QStringLiteral("--emit chat: the arguments must be a JSON array, as [\"hello\", 1]"));
    row("--emit arguments a string", args({"http://h", "--emit", "chat", "\"hi\""}),
        QStringLiteral("--emit chat: the arguments must be a JSON array, as [\"hello\", 1]"));

    const QString ackNeeds = QStringLiteral("--ack-timeout needs milliseconds > 0");
    row("--ack-timeout without an --emit", args({"http://h", "--ack-timeout", "100"}),
        QStringLiteral("--ack-timeout belongs after an --emit"));
    row("--ack-timeout before its --emit",
        args({"http://h", "--ack-timeout", "100", "--emit", "a", "[]"}),
        QStringLiteral("--ack-timeout belongs after an --emit"));
    row("--ack-timeout without a value", args({"http://h", "--emit", "a", "[]", "--ack-timeout"}),
        ackNeeds);
    row("--ack-timeout 0", args({"http://h", "--emit", "a", "[]", "--ack-timeout", "0"}), ackNeeds);
    row("--ack-timeout negative", args({"http://h", "--emit", "a", "[]", "--ack-timeout", "-5"}),
        ackNeeds);
    row("--ack-timeout not a number",
        args({"http://h", "--emit", "a", "[]", "--ack-timeout", "soon"}), ackNeeds);
    row("--ack-timeout fraction", args({"http://h", "--emit", "a", "[]", "--ack-timeout", "1.5"}),
        ackNeeds);
    row("--ack-timeout too large for an int",
        args({"http://h", "--emit", "a", "[]", "--ack-timeout", "3000000000"}), ackNeeds);

    const QString countNeeds = QStringLiteral("--count needs a number > 0");
    row("--count without a value", args({"http://h", "--count"}), countNeeds);
    row("--count 0", args({"http://h", "--count", "0"}), countNeeds);
    row("--count negative", args({"http://h", "--count", "-3"}), countNeeds);
    row("--count not a number", args({"http://h", "--count", "many"}), countNeeds);
    row("--count fraction", args({"http://h", "--count", "2.5"}), countNeeds);

    const QString secondsNeeds = QStringLiteral("--seconds needs a number > 0 (at most 86400)");
    row("--seconds without a value", args({"http://h", "--seconds"}), secondsNeeds);
    row("--seconds 0", args({"http://h", "--seconds", "0"}), secondsNeeds);
    row("--seconds negative", args({"http://h", "--seconds", "-1"}), secondsNeeds);
    row("--seconds not a number", args({"http://h", "--seconds", "soon"}), secondsNeeds);
    row("--seconds nan", args({"http://h", "--seconds", "nan"}), secondsNeeds);
    row("--seconds inf", args({"http://h", "--seconds", "inf"}), secondsNeeds);
    row("--seconds beyond a day", args({"http://h", "--seconds", "1e9"}), secondsNeeds);
    row("--header name not a token", args({"http://h", "--header", "X-Caf\u00e9: v"}), QStringLiteral("--header X-Caf\u00e9: v: not a valid header"));
    row("--header name with a space", args({"http://h", "--header", "Bad Name: v"}), QStringLiteral("--header Bad Name: v: not a valid header"));
    row("--query without a key", args({"http://h", "--query", "=v"}), QStringLiteral("--query needs K=V"));
}

void tst_CliOptions::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    QFETCH(bool, prefixOnly);

    const CommandLine cl = parseCommandLine(arguments);
    QVERIFY(!cl.help);
    if (prefixOnly) {
        QVERIFY2(cl.error.startsWith(error), qPrintable(cl.error));
        QVERIFY(cl.error.size() > error.size());
    } else {
        QCOMPARE(cl.error, error);
    }
}

void tst_CliOptions::reservedEventNames_data()
{
    QTest::addColumn<QString>("event");

    // The names socket.io-client keeps for itself (RESERVED_EVENTS).
    for (const char *name : {"connect", "connect_error", "disconnect", "disconnecting",
                             "newListener", "removeListener"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void tst_CliOptions::reservedEventNames()
{
    QFETCH(QString, event);

    const CommandLine cl = parseCommandLine(
        {QStringLiteral("http://h"), QStringLiteral("--emit"), event, QStringLiteral("[]")});
    QCOMPARE(cl.error, QStringLiteral("--emit: \"%1\" is a reserved event name").arg(event));

    // Names that only resemble them are ordinary events.
    for (const QString &other :
         {event.toUpper(), QString(event + QLatin1Char('x')), QString(QLatin1Char(' ') + event)}) {
        const CommandLine ok = parseCommandLine(
            {QStringLiteral("http://h"), QStringLiteral("--emit"), other, QStringLiteral("[]")});
        QVERIFY2(ok.error.isEmpty(), qPrintable(ok.error));
        QCOMPARE(ok.options.emits.size(), 1);
        QCOMPARE(ok.options.emits.constFirst().event, other);
    }
}

void tst_CliOptions::usageNamesEveryOption()
{
    const QString text = usage();
    QVERIFY(text.startsWith(QStringLiteral("usage: plugboard-cli URL")));
    for (const char *option : {"--namespace", "--path", "--auth", "--query", "--header",
                               "--transports", "--parser", "--emit", "--ack-timeout", "--listen",
                               "--count", "--seconds", "--no-reconnect", "--insecure", "$binary"})
        QVERIFY2(text.contains(QLatin1String(option)), option);
}

QTEST_GUILESS_MAIN(tst_CliOptions)
#include "tst_clioptions.moc"

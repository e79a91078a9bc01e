// The console port under TLS (--tls-cert, --tls-key), against a real lantern-server and a
// certificate made by openssl in the test: a login over HTTPS gets a Secure cookie and HSTS,
// the console's WebSocket works over WSS; plain text to the port gets no answer and is
// counted; a connection that never starts its handshake is dropped; a key that does not
// belong to the certificate, or one flag without the other, stops the server with a reason.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace lantern::testing {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

// A self-signed certificate for 127.0.0.1 in `dir`: cert.pem and key.pem.
void make_certificate(const temp_dir& dir, const std::string& name = "", const std::string& days = "2") {
  auto made =
      run_program("/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                       dir.file(name + "key.pem"), "-out", dir.file(name + "cert.pem"), "-days", days,
                                       "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(made.exit_code, 0) << made.output;
}

// A client that trusts only `ca_file`.
ssl::context client_context(const std::string& ca_file) {
  ssl::context tls(ssl::context::tls_client);
  tls.load_verify_file(ca_file);
  tls.set_verify_mode(ssl::verify_peer);
  return tls;
}

struct https_answer {
  int status = 0;
  std::string set_cookie, hsts, body;
};

https_answer https_login(unsigned short port, const std::string& ca_file) {
  net::io_context io;
  auto tls = client_context(ca_file);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  beast::get_lowest_layer(stream).connect({net::ip::make_address("127.0.0.1"), port});
  stream.handshake(ssl::stream_base::client);
  http::request<http::string_body> request{http::verb::post, "/api/v1/login", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = R"({"username":"amira","password":"lantern-demo-amira"})";
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return {static_cast<int>(response.result_int()), std::string(response[http::field::set_cookie]),
          std::string(response[http::field::strict_transport_security]), response.body()};
}

double metric(unsigned short metrics_port, const std::string& name) {
  auto body = http_request(metrics_port, "GET", "/metrics").body;
  auto at = body.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(body.substr(at + name.size() + 2));
}

double failed_handshakes(unsigned short metrics_port) {
  return metric(metrics_port, "lantern_tls_handshakes_failed_total");
}

// A console held open over WSS.
struct wss_console {
  wss_console(unsigned short port, const std::string& ca_file, const std::string& cookie)
      : tls(client_context(ca_file)), ws(io, tls) {
    beast::get_lowest_layer(ws).connect({net::ip::make_address("127.0.0.1"), port});
    beast::get_lowest_layer(ws).expires_after(10s);
    ws.next_layer().handshake(ssl::stream_base::client);
    ws.set_option(
        websocket::stream_base::decorator([&](websocket::request_type& r) { r.set(http::field::cookie, cookie); }));
    ws.handshake("127.0.0.1", "/ws");
  }
  std::string read() {
    beast::get_lowest_layer(ws).expires_after(10s);
    beast::flat_buffer buffer;
    ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  }
  net::io_context io;
  ssl::context tls;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
};

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    make_certificate(dir_);
    server_ = std::make_unique<server_process>(
        dir_.file("lantern.db"), std::vector<std::string>{"--import", demo_centre(), "--tls-cert",
                                                          dir_.file("cert.pem"), "--tls-key", dir_.file("key.pem")});
  }
  temp_dir dir_;
  std::unique_ptr<server_process> server_;
};

TEST_F(Tls, AConsoleLogsInOverHttpsWithASecureCookieAndReadsItsSnapshotOverWss) {
  EXPECT_TRUE(server_->said("console=https://127.0.0.1:"));
  auto login = https_login(server_->http_port(), dir_.file("cert.pem"));
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_NE(login.set_cookie.find("; Secure"), std::string::npos) << login.set_cookie;
  EXPECT_NE(login.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_EQ(login.hsts, "max-age=31536000");
  auto cookie = login.set_cookie.substr(0, login.set_cookie.find(';'));
  auto first = wss_console(server_->http_port(), dir_.file("cert.pem"), cookie).read();
  EXPECT_NE(first.find("\"snapshot\""), std::string::npos) << first.substr(0, 200);
}

TEST_F(Tls, PlainTextToTheTlsPortGetsNoAnswerAndASilentPeerIsDropped) {
  // A browser or script speaking plain HTTP: the handshake fails, nothing is answered in clear.
  auto before = failed_handshakes(server_->metrics_port());
  net::io_context io;
  net::ip::tcp::socket plain(io);
  plain.connect({net::ip::make_address("127.0.0.1"), server_->http_port()});
  std::string request =
      "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\n\r\n{}";
  net::write(plain, net::buffer(request));
  char reply[512];
  boost::system::error_code ec;
  auto n = plain.read_some(net::buffer(reply), ec);
  std::string got(reply, ec ? 0 : n);
  EXPECT_EQ(got.find("HTTP/1.1"), std::string::npos) << "answered in clear: " << got;
  EXPECT_EQ(got.find("lantern_session"), std::string::npos);
  for (int i = 0; i < 50 && failed_handshakes(server_->metrics_port()) < before + 1; ++i)
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(failed_handshakes(server_->metrics_port()), before + 1);

  // A connection that never says a word is dropped, like one before its HTTP request.
  net::ip::tcp::socket silent(io);
  silent.connect({net::ip::make_address("127.0.0.1"), server_->http_port()});
  auto opened = std::chrono::steady_clock::now();
  silent.read_some(net::buffer(reply), ec);  // returns when the server closes it
  auto held = std::chrono::steady_clock::now() - opened;
  EXPECT_TRUE(ec) << "the server sent something to a silent peer";
  EXPECT_GE(held, 1s);
  EXPECT_LE(held, 13s);
  // ... and the port still serves.
  EXPECT_EQ(https_login(server_->http_port(), dir_.file("cert.pem")).status, 200);
}

TEST_F(Tls, SighupReloadsTheCertificateForNewConnectionsWhileOpenOnesStay) {
  auto login = https_login(server_->http_port(), dir_.file("cert.pem"));
  auto cookie = login.set_cookie.substr(0, login.set_cookie.find(';'));
  wss_console open(server_->http_port(), dir_.file("cert.pem"), cookie);
  EXPECT_NE(open.read().find("\"snapshot\""), std::string::npos);
  auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto expiry_before = metric(server_->metrics_port(), "lantern_tls_certificate_expiry_seconds");
  EXPECT_NEAR(expiry_before, now_s + 2 * 86400, 120) << "the first certificate is good for 2 days";

  // A renewed certificate (another key, 30 days) put in place of the files, then SIGHUP.
  temp_dir renewed;
  make_certificate(renewed, "", "30");
  std::filesystem::copy_file(dir_.file("cert.pem"), renewed.file("old.pem"));
  std::filesystem::copy_file(renewed.file("cert.pem"), dir_.file("cert.pem"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(renewed.file("key.pem"), dir_.file("key.pem"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(dir_.file("cert.pem"), renewed.file("renewed.pem"));
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);
  EXPECT_TRUE(server_->said("TLS certificate reloaded from"));
  EXPECT_EQ(https_login(server_->http_port(), renewed.file("renewed.pem")).status, 200)
      << "new connections: the new one";
  EXPECT_ANY_THROW(https_login(server_->http_port(), renewed.file("old.pem"))) << "not the old one";
  EXPECT_NEAR(metric(server_->metrics_port(), "lantern_tls_certificate_expiry_seconds"), now_s + 30 * 86400, 120);

  // The console opened before the reload is still served.
  open.ws.write(net::buffer(std::string(R"({"type":"resync"})")));
  EXPECT_NE(open.read().find("\"snapshot\""), std::string::npos);

  // A broken file on the next reload: refused, said why, the renewed one stays in force.
  { std::ofstream(dir_.file("cert.pem")) << "not a certificate"; }
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);
  EXPECT_TRUE(server_->said("TLS certificate not reloaded, the one in force stays"));
  EXPECT_EQ(https_login(server_->http_port(), renewed.file("renewed.pem")).status, 200);
}

TEST_F(Tls, DevicesSendAlarmsOverTlsAndAPlainDeviceIsNotWelcomed) {
  auto sim = run_program(
      LANTERN_SIM, {"--centre", demo_centre(), "--port", std::to_string(server_->device_port()), "--tls-ca",
                    dir_.file("cert.pem"), "--devices", "3", "--duration", "1", "--alarm-rate", "20", "--drain", "5"});
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  EXPECT_NE(sim.output.find("unacked at end 0"), std::string::npos) << sim.output;
  EXPECT_EQ(sim.output.find(", acked 0,"), std::string::npos) << sim.output;

  // A device speaking plain TCP to the TLS port gets no welcome, and nothing of it is read.
  auto before = failed_handshakes(server_->metrics_port());
  device_client plain(server_->device_port());
  lantern::device::v1::DeviceMessage hello;
  hello.mutable_hello()->set_device_id("dev-100231");
  hello.mutable_hello()->set_token("demo-token-100231");
  plain.send(hello);
  auto answer = plain.receive();
  EXPECT_FALSE(answer && answer->has_welcome());
  for (int i = 0; i < 50 && failed_handshakes(server_->metrics_port()) < before + 1; ++i)
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(failed_handshakes(server_->metrics_port()), before + 1);

  // A simulator that does not trust the server's certificate never sends its token.
  temp_dir other;
  make_certificate(other);
  auto untrusting = run_program(
      LANTERN_SIM, {"--centre", demo_centre(), "--port", std::to_string(server_->device_port()), "--tls-ca",
                    other.file("cert.pem"), "--devices", "1", "--duration", "1", "--alarm-rate", "5", "--drain", "1"});
  EXPECT_NE(untrusting.output.find(", acked 0,"), std::string::npos) << untrusting.output;
  EXPECT_NE(untrusting.output.find("refused by TLS: certificate verify failed"), std::string::npos)
      << untrusting.output;
}

TEST_F(Tls, WithAClientCaOnlyADeviceWithACertificateItSignedIsHeard) {
  // The device's certificate is self-signed, so it is its own CA.
  make_certificate(dir_, "device-");
  make_certificate(dir_, "stranger-");
  server_.reset();
  server_process server(dir_.file("lantern.db"),
                        {"--tls-cert", dir_.file("cert.pem"), "--tls-key", dir_.file("key.pem"),
                         "--device-tls-client-ca", dir_.file("device-cert.pem")});
  auto port = std::to_string(server.device_port());
  auto send_as = [&](std::vector<std::string> certificate) {
    std::vector<std::string> args{"--centre",  demo_centre(), "--port",     port, "--tls-ca", dir_.file("cert.pem"),
                                  "--devices", "2",           "--duration", "1",  "--drain",  "3"};
    args.insert(args.end(), certificate.begin(), certificate.end());
    return run_program(LANTERN_SIM, args);
  };

  auto signed_device = send_as(
      {"--tls-cert", dir_.file("device-cert.pem"), "--tls-key", dir_.file("device-key.pem"), "--alarm-rate", "10"});
  EXPECT_EQ(signed_device.exit_code, 0) << signed_device.output;
  EXPECT_NE(signed_device.output.find("unacked at end 0"), std::string::npos) << signed_device.output;
  EXPECT_EQ(signed_device.output.find(", acked 0,"), std::string::npos) << signed_device.output;

  auto before = failed_handshakes(server.metrics_port());
  auto no_certificate = send_as({"--alarm-rate", "5"});
  EXPECT_NE(no_certificate.output.find(", acked 0,"), std::string::npos) << no_certificate.output;
  EXPECT_NE(no_certificate.output.find("refused by TLS: tlsv13 alert certificate required"), std::string::npos)
      << no_certificate.output;
  auto stranger = send_as(
      {"--tls-cert", dir_.file("stranger-cert.pem"), "--tls-key", dir_.file("stranger-key.pem"), "--alarm-rate", "5"});
  EXPECT_NE(stranger.output.find(", acked 0,"), std::string::npos) << stranger.output;
  EXPECT_NE(stranger.output.find("refused by TLS"), std::string::npos) << stranger.output;
  EXPECT_GE(failed_handshakes(server.metrics_port()), before + 2);
}

TEST_F(Tls, ADeviceThatVanishesWhileItsAcksAreDueDoesNotStopTheServer) {
  // OpenSSL writes to the socket itself: a write to a link the peer has reset must be a
  // failed write for that link, not a SIGPIPE for the process.
  for (int round = 0; round < 20; ++round) {
    net::io_context io;
    auto tls = client_context(dir_.file("cert.pem"));
    ssl::stream<net::ip::tcp::socket> device(io, tls);
    device.next_layer().connect({net::ip::make_address("127.0.0.1"), server_->device_port()});
    device.handshake(ssl::stream_base::client);
    lantern::device::v1::DeviceMessage hello;
    hello.mutable_hello()->set_device_id("dev-100231");
    hello.mutable_hello()->set_token("demo-token-100231");
    net::write(device, net::buffer(device_link::encode_frame(hello)));
    std::string alarms;
    for (int seq = 1; seq <= 200; ++seq) alarms += device_link::encode_frame(alarm_message(round * 1000 + seq, "test"));
    net::write(device, net::buffer(alarms));
    // Reset, not closed: the server's next write fails with EPIPE.
    device.next_layer().set_option(net::socket_base::linger(true, 0));
    device.next_layer().close();
  }
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(kill(server_->pid(), 0), 0);
  EXPECT_EQ(https_login(server_->http_port(), dir_.file("cert.pem")).status, 200);
}

TEST(TlsFlags, AKeyNotOfTheCertificateOrOneFlagAloneStopsTheServerWithAReason) {
  temp_dir dir;
  make_certificate(dir);
  make_certificate(dir, "other-");
  auto alone = run_program(LANTERN_SERVER, {"--db", dir.file("l.db"), "--tls-cert", dir.file("cert.pem")});
  EXPECT_EQ(alone.exit_code, 64);
  EXPECT_NE(alone.output.find("--tls-cert and --tls-key go together"), std::string::npos) << alone.output;
  auto mismatched =
      run_program(LANTERN_SERVER, {"--db", dir.file("l.db"), "--http-port", "0", "--device-port", "0", "--tls-cert",
                                   dir.file("cert.pem"), "--tls-key", dir.file("other-key.pem")});
  EXPECT_EQ(mismatched.exit_code, 1);
  EXPECT_NE(mismatched.output.find("does not belong to the certificate"), std::string::npos) << mismatched.output;
  auto missing = run_program(LANTERN_SERVER, {"--db", dir.file("l.db"), "--tls-cert", dir.file("nothing.pem"),
                                              "--tls-key", dir.file("key.pem")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("--tls-cert " + dir.file("nothing.pem")), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace lantern::testing

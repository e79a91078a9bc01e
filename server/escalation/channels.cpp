#include "escalation/channels.hpp"

#include <curl/curl.h>
#include <sodium.h>
#include <boost/json.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <thread>

namespace lantern {
namespace {

using curl_handle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using curl_list = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

curl_handle new_handle() {
  curl_handle handle(curl_easy_init(), &curl_easy_cleanup);
  if (handle) curl_easy_setopt(handle.get(), CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM
  return handle;
}

curl_list append(curl_list list, const std::string& line) {
  auto* head = curl_slist_append(list.get(), line.c_str());
  if (head != nullptr) (void)list.release();
  return curl_list(head, &curl_slist_free_all);
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

// RFC 2047: a name with accents must not break the Subject line.
std::string encoded_header(const std::string& text) { return "=?UTF-8?B?" + base64(text) + "?="; }

std::string rfc5322_date() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 64> out{};
  std::strftime(out.data(), out.size(), "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return out.data();
}

struct upload {
  std::string data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<upload*>(user);
  std::size_t n = std::min(size * count, u->data.size() - u->offset);
  std::memcpy(buffer, u->data.data() + u->offset, n);
  u->offset += n;
  return n;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

std::string hmac_sha256_hex(const std::string& key, const std::string& body) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  std::string hex(mac.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.pop_back();
  return hex;
}

// What went wrong, in words an operator can act on; the library's text goes to the log.
std::string in_words(CURLcode rc, long response, const char* server) {
  std::string who(server);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "the " + who + "'s address could not be found";
    case CURLE_COULDNT_CONNECT:
      return "the " + who + " could not be reached";
    case CURLE_OPERATION_TIMEDOUT:
      return "the " + who + " did not answer in time";
    case CURLE_LOGIN_DENIED:
      return "the " + who + " refused Lantern's login";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return "a secure connection to the " + who + " could not be made";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return "the connection to the " + who + " broke";
    default:
      return response >= 400 ? "the " + who + " refused it (" + std::to_string(response) + ")"
                             : "the " + who + " could not take it";
  }
}

}  // namespace

delivery_outcome send_email(const escalation_config& config, const notification& n, const std::string& link) {
  if (n.to.email.empty()) return {false, "no email address"};
  auto curl = new_handle();
  if (!curl) return {false, "could not start libcurl"};
  upload message;
  message.data = "Date: " + rfc5322_date() + "\r\nTo: " + n.to.email + "\r\nFrom: " + config.smtp_from +
                 "\r\nSubject: " + encoded_header(email_subject(n)) +
                 "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n";
  // SMTP lines end in CRLF, and a line of a single dot would end the message early.
  for (char ch : message_text(n, link)) {
    if (ch == '\n')
      message.data += "\r\n";
    else
      message.data += ch;
  }
  curl_list recipients(nullptr, &curl_slist_free_all);
  recipients = append(std::move(recipients), "<" + n.to.email + ">");
  auto* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, config.smtp_url.c_str());
  std::string from = "<" + config.smtp_from + ">";
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &message);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20'000L);
  if (!config.smtp_user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, config.smtp_user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, config.smtp_password.c_str());
  }
  auto rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    long response = 0;  // the SMTP reply code: 550 for a mailbox refused
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response);
    return {false, in_words(rc, response, "mail server"), curl_easy_strerror(rc)};
  }
  return {true, "accepted by the mail server for " + n.to.email};
}


delivery_outcome post_webhook(const escalation_config& config, const notification& n, const std::string& link,
                              const std::string& idempotency_key, const std::atomic<bool>& stopping) {
  if (n.to.phone.empty()) return {false, "no phone number"};
  auto body = boost::json::serialize(boost::json::object{
      {"case_id", std::to_string(n.case_id)},
      {"attempt", n.attempt},
      {"carer_id", n.to.id},
      {"carer_name", n.to.name},
      {"phone", n.to.phone},
      {"text", message_text(n, link)},
      {"link", link},
      {"reply_by_ms", n.reply_by_ms},
  });
  curl_list headers(nullptr, &curl_slist_free_all);
  headers = append(std::move(headers), "Content-Type: application/json");
  headers = append(std::move(headers), "Idempotency-Key: " + idempotency_key);
  if (!config.webhook_secret.empty())
    headers = append(std::move(headers), "X-Lantern-Signature: sha256=" + hmac_sha256_hex(config.webhook_secret, body));
  std::string last, raw;
  auto backoff = std::chrono::milliseconds(config.retry_backoff_ms);
  for (int attempt = 1; attempt <= config.webhook_tries && !stopping; ++attempt) {
    if (attempt > 1) {
      // Waits in short steps, so a server shutting down is not held up.
      auto until = std::chrono::steady_clock::now() + backoff;
      while (!stopping && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      backoff *= 2;
    }
    auto curl = new_handle();
    if (!curl) return {false, "could not start libcurl"};
    auto* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, config.webhook_url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config.webhook_timeout_ms));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    auto rc = curl_easy_perform(h);
    std::string tries = attempt == 1 ? "" : " (try " + std::to_string(attempt) + ")";
    if (rc != CURLE_OK) {
      last = in_words(rc, 0, "message gateway");
      raw = curl_easy_strerror(rc);
      continue;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return {true, "gateway answered HTTP " + std::to_string(status) + tries};
    last = "the message gateway answered with an error (HTTP " + std::to_string(status) + ")";
    raw = "HTTP " + std::to_string(status);
    if (status < 500 && status != 429)
      return {false, "the message gateway refused it (HTTP " + std::to_string(status) + ")", raw};
  }
  return {false, last + ", " + std::to_string(config.webhook_tries) + " times", raw};
}

}  // namespace lantern

#pragma once
// One simulated alarm unit speaking SIA DC-09 (a home hub or a panel), as units in the
// field do: one message at a time, each waiting for its ACK; re-sent with the same seq
// and content (new pad and timestamp) when none comes; its clock corrected from a NAK's
// timestamp; NULL messages as its check-ins. Every reply's CRC and echo are checked.

#include "fleet.hpp"
#include "sim_options.hpp"
#include "sim_stats.hpp"
#include "simulated_device.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include <deque>

namespace lantern::sim {

class simulated_unit : public std::enable_shared_from_this<simulated_unit> {
 public:
  simulated_unit(net::any_io_executor strand, fleet_device identity, const sim_options& options, sim_stats& stats,
                 run_control& control, unsigned seed, device_traits traits);
  net::awaitable<void> run();

 private:
  struct message {
    int seq;
    std::string token;  // ADM-CID or NULL
    std::string data;
    clock::time_point first_sent{};
    bool sent_before = false;
  };
  // stale: a late answer to an earlier message (its re-send was answered first): ignored.
  enum class outcome { acked, resend, refused, link_lost, stale };

  net::awaitable<bool> connect();
  void close();
  net::awaitable<outcome> send_and_wait(message& m);
  net::awaitable<bool> send_bytes(const std::string& bytes);
  // The next reply, or nothing after `wait` (or when the link ends).
  net::awaitable<std::optional<std::string>> next_reply(clock::duration wait);
  // Whether `reply` is a good answer to `m`: its CRC, then its seq and account echoed.
  outcome judge(const std::string& reply, const message& m);
  void queue_due(clock::time_point now);
  bool done(clock::time_point now) const;
  std::int64_t unit_clock_ms() const;

  net::any_io_executor strand_;
  fleet_device identity_;
  const sim_options& options_;
  sim_stats& stats_;
  run_control& control_;
  std::mt19937_64 rng_;
  std::discrete_distribution<std::size_t> code_pick_;
  std::vector<std::string> codes_;  // Contact ID codes, from --mix through the code table
  device_traits traits_;
  net::ip::tcp::socket tcp_;
  net::ip::udp::socket udp_;
  net::steady_timer wake_;
  std::string received_;
  int next_seq_;
  std::int64_t clock_offset_ms_ = 0;   // set from a NAK, as units do
  clock::time_point next_alarm_at_{};  // unset until the unit first looks at its schedule
  clock::time_point next_null_at_;
  std::deque<message> queue_;
  std::deque<std::string> answered_seqs_;  // the last few messages answered, as "0042"
};

// The Contact ID code a unit sends for each alarm type of the mix ("" when none does).
std::string contact_id_code_for(const std::string& alarm_type);

}  // namespace lantern::sim

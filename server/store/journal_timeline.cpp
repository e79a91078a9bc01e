#include "store/journal_timeline.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

namespace lantern {

std::int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void journal_timeline::write_at_stop_to(std::string path) {
  path_ = std::move(path);
  if (on()) rows_.reserve(65536);
}

void journal_timeline::record(const row& r) {
  if (!on()) return;
  std::lock_guard lock(mutex_);
  if (rows_.size() < max_rows)
    rows_.push_back(r);
  else
    ++dropped_;
}

bool journal_timeline::write(std::string& why) const {
  if (!on()) return true;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(path_.c_str(), "w"), &std::fclose);
  if (!out) {
    why = "cannot write " + path_ + ": " + std::strerror(errno);
    return false;
  }
  std::lock_guard lock(mutex_);
  std::fprintf(out.get(),
               "# kind began_us took_us requests alarms cases seqs queue_left wal_frames copied (c commit, "
               "w/h checkpoint pass by the writer/helper, s the helper's sync of the database file)%s\n",
               dropped_ ? (" - " + std::to_string(dropped_) + " rows past the limit dropped").c_str() : "");
  for (const auto& r : rows_)
    std::fprintf(out.get(), "%c %lld %u %u %u %u %u %u %d %d\n", static_cast<char>(r.what),
                 static_cast<long long>(r.began_us), r.took_us, r.requests, r.alarms, r.cases, r.seqs, r.queue_left,
                 r.wal_frames, r.copied);
  if (std::ferror(out.get())) {
    why = "cannot write " + path_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace lantern

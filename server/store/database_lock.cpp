#include "store/database_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lantern {

database_lock::database_lock(const std::string& db_path) : path_(db_path + ".lock") {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot open the lock file " + path_ + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw std::runtime_error("another lantern-server is using " + db_path + " (it holds " + path_ +
                               "); stop it first, or give this one its own --db");
    throw std::runtime_error("cannot lock " + path_ + ": " + std::strerror(error));
  }
  // Say who holds it, for a person looking at the file.
  auto pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
}

database_lock::~database_lock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace lantern

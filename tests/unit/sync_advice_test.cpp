// The advice at start about the database's filesystem, from the kernel's own files as text:
// said for ext4 without a journal and without lazytime, and for nothing else.
#include "store/sync_advice.hpp"

#include <gtest/gtest.h>

namespace {

using lantern::mount_of;
using lantern::sync_advice;

// This VM's own lines (a 2-core Debian 12 guest), with a tmpfs and a bind mount around them.
constexpr std::string_view mountinfo =
    "21 26 0:20 / /proc rw,relatime - proc proc rw\n"
    "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict\n"
    "29 24 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683548k\n"
    "41 26 254:16 / /var/lib/lantern rw,noatime shared:7 master:1 - ext4 /dev/vdb rw,lazytime\n"
    "42 26 254:32 / /srv/my\\040data rw,relatime - ext4 /dev/vdc rw\n";

TEST(SyncAdvice, ThatDevicesMountIsFoundWithItsTypeAndBothSetsOfOptions) {
  auto root = mount_of(mountinfo, 254, 0);
  EXPECT_EQ(root.mount_point, "/");
  EXPECT_EQ(root.fs_type, "ext4");
  EXPECT_EQ(root.options, "rw,relatime,rw,discard,resv_strict");
  auto data = mount_of(mountinfo, 254, 16);  // optional fields before the "-"
  EXPECT_EQ(data.mount_point, "/var/lib/lantern");
  EXPECT_EQ(data.options, "rw,noatime,rw,lazytime");
  EXPECT_EQ(mount_of(mountinfo, 254, 32).mount_point, "/srv/my data");  // the kernel writes it \\040
  EXPECT_EQ(mount_of(mountinfo, 8, 1).fs_type, "");                     // no such device
}

TEST(SyncAdvice, OnlyAWholeOctalEscapeInAMountPointIsUnescaped) {
  auto point = [](std::string_view path) {
    auto line = "42 26 254:32 / " + std::string(path) + " rw - ext4 /dev/vdc rw\n";
    return mount_of(line, 254, 32).mount_point;
  };
  EXPECT_EQ(point("/a\\134b\\011c"), "/a\\b\tc");  // a backslash and a tab
  EXPECT_EQ(point("/a\\09x"), "/a\\09x");          // 9 is no octal digit
  EXPECT_EQ(point("/a\\04"), "/a\\04");            // cut short at the end
  EXPECT_EQ(point("/a\\"), "/a\\");
}

TEST(SyncAdvice, LinesThatAreCutShortOrHaveNoSeparatorAreSkippedNotRead) {
  for (std::string_view bad : {"26 1 254:0 / / rw,relatime - ext4\n", "26 1 254:0 / / rw,relatime ext4 /dev/vda rw\n",
                               "26 1 254:0\n", "", "\n\n", "26 1 254:0 / / rw - - - -"}) {
    auto found = mount_of(bad, 254, 0);
    EXPECT_NE(found.fs_type, "ext4") << bad;
  }
  // A good line after a bad one is still found.
  EXPECT_EQ(mount_of("26 1 254:0 / /\n26 1 254:0 / / rw - ext4 /dev/vda rw\n", 254, 0).fs_type, "ext4");
}

TEST(SyncAdvice, SaidForExt4WithoutAJournalOrLazytimeOnly) {
  auto root = mount_of(mountinfo, 254, 0);
  auto advice = sync_advice(root, "<none>\n");
  EXPECT_NE(advice.find("lazytime"), std::string::npos);
  EXPECT_NE(advice.find("(/)"), std::string::npos) << advice;            // names the mount
  EXPECT_EQ(sync_advice(root, "jbd2/vda-8\n"), "");                      // a journal keeps the times
  EXPECT_EQ(sync_advice(mount_of(mountinfo, 254, 16), "<none>\n"), "");  // lazytime already
  EXPECT_EQ(sync_advice(mount_of(mountinfo, 0, 26), "<none>\n"), "");    // tmpfs
  EXPECT_EQ(sync_advice(root, ""), "");                                  // the file could not be read: no guess
  // "lazytime" must be an option of its own, not part of another's value.
  EXPECT_NE(sync_advice({"/", "ext4", "rw,nolazytime"}, "<none>"), "");
  EXPECT_NE(sync_advice({"/", "ext4", "rw,x=lazytime2"}, "<none>"), "");
}

TEST(SyncAdvice, ReadFromThisMachineItNeverThrowsAndIsEmptyForAFileThatIsNotThere) {
  EXPECT_EQ(lantern::sync_advice_for("/no/such/lantern.db"), "");
  EXPECT_NO_THROW(lantern::sync_advice_for("/proc/self/mountinfo"));
}

}  // namespace

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "services/services.h"

namespace qiangji::services {
namespace {

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("QIANGJI_KEY");
    char tmpl[] = "/tmp/qiangji_secrets_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    unsetenv("QIANGJI_KEY");
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(SecretsTest, KeyFileIsCreatedPrivateAndReused) {
  const std::string path = dir_ + "/qiangji.db.key";
  auto first = Secrets::LoadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto second = Secrets::LoadOrCreate(path);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->LookupHash("x"), second->LookupHash("x"));
  auto sealed = first->Encrypt("110105194912310021");
  EXPECT_EQ(*second->Decrypt(sealed), "110105194912310021");
}

TEST_F(SecretsTest, KeyFileReadableByOthersIsRefused) {
  const std::string path = dir_ + "/k";
  ASSERT_TRUE(Secrets::LoadOrCreate(path).ok());
  chmod(path.c_str(), 0644);
  auto s = Secrets::LoadOrCreate(path);
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(SecretsTest, EnvironmentKeyWins) {
  setenv("QIANGJI_KEY", std::string(64, 'a').c_str(), 1);
  auto s = Secrets::LoadOrCreate(dir_ + "/never");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/never"));
  EXPECT_EQ(s->LookupHash("x"), Secrets::FromMasterKey(std::string(32, '\xaa')).LookupHash("x"));
  setenv("QIANGJI_KEY", "not hex", 1);
  EXPECT_FALSE(Secrets::LoadOrCreate(dir_ + "/never").ok());
}

TEST(Secrets, EncryptionIsRandomisedAndAuthenticated) {
  const Secrets s = Secrets::FromMasterKey(std::string(32, '\x01'));
  const std::string a = s.Encrypt("130624198503150035"), b = s.Encrypt("130624198503150035");
  EXPECT_NE(a, b) << "a fresh nonce each time";
  EXPECT_EQ(a.find("130624198503150035"), std::string::npos);
  EXPECT_EQ(*s.Decrypt(a), "130624198503150035");
  std::string tampered = a;
  tampered.back() ^= 1;
  EXPECT_FALSE(s.Decrypt(tampered).ok());
  EXPECT_FALSE(s.Decrypt("short").ok());
  const Secrets other = Secrets::FromMasterKey(std::string(32, '\x02'));
  EXPECT_FALSE(other.Decrypt(a).ok());
}

TEST(Secrets, LookupHashIsKeyedAndStable) {
  const Secrets s = Secrets::FromMasterKey(std::string(32, '\x01'));
  const Secrets other = Secrets::FromMasterKey(std::string(32, '\x02'));
  EXPECT_EQ(s.LookupHash("130624198503150035"), s.LookupHash("130624198503150035"));
  EXPECT_NE(s.LookupHash("130624198503150035"), other.LookupHash("130624198503150035"));
  EXPECT_EQ(s.LookupHash("a").size(), 64u);
}

TEST(Masking, IdNumbersAndPhones) {
  EXPECT_EQ(MaskIdNumber("110105199001011234"), "110***********1234");
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110***********002X");
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone(""), "");
  EXPECT_EQ(MaskIdNumber("1234"), "****");
}

}  // namespace
}  // namespace qiangji::services

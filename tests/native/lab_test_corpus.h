// The Austen corpus the build extracted (CMakeLists.txt runs scripts/austen_corpus.py and passes the
// path as ATTNRANK_LAB_CORPUS_PATH), read once and shared by the lab's tests; nullptr when the file is
// missing, and kNoCorpusMessage for the tests' GTEST_SKIP, naming the Debian package.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "attnrank/lab/corpus.h"

namespace attnrank::test {

inline const std::string kNoCorpusMessage =
    std::string("no corpus at ") + ATTNRANK_LAB_CORPUS_PATH + ": the Debian package " + lab::kCorpusPackage +
    " could not be downloaded and extracted when the build was configured (scripts/austen_corpus.py)";

inline std::shared_ptr<const lab::Corpus> austen_corpus() {
  static const std::shared_ptr<const lab::Corpus> corpus = [] {
    std::ifstream file(ATTNRANK_LAB_CORPUS_PATH, std::ios::binary);
    if (!file) return std::shared_ptr<const lab::Corpus>();
    std::ostringstream text;
    text << file.rdbuf();
    return std::make_shared<const lab::Corpus>(lab::make_corpus(text.str()));
  }();
  return corpus;
}

}  // namespace attnrank::test

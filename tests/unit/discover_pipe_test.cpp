// Inputs that can be read only once (pipes) are sniffed and parsed from one open stream.
// POSIX only: Windows has no FIFO files (its named pipes are not in the file system's folders).
#include <doctest/doctest.h>

#ifndef _WIN32
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "inputs/discover.hpp"

using namespace extriage;

TEST_CASE("discover: a named pipe is sniffed and then parsed from the same stream") {
    namespace fs = std::filesystem;
    fs::path fifo = fs::temp_directory_path() / "extriage-discover-pipe-test";
    fs::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string log;
    for (int i = 0; i < 5000; ++i)   // more than the sniffing head, so the replay must join both parts
        log += "[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server 2019 Setup line " + std::to_string(i) + "\n";
    std::thread writer([&] { std::ofstream(fifo) << log; });
    DiagSink diags;
    DiscoverStats stats;
    auto inputs = discover_inputs({fifo.string()}, {}, diags, stats);
    REQUIRE(inputs.size() == 1);
    CHECK(inputs[0].parser->name() == "exchange-setup");
    auto source = inputs[0].open();
    std::string all = source->read_all(1 << 30);
    writer.join();
    CHECK(all == log);
    CHECK_THROWS_AS(inputs[0].open(), InputError);
    fs::remove(fifo);
}

#endif  // _WIN32

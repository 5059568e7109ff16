# Convenience targets around CMake. See README.md.
#   make          build (gcc, warnings as errors) into build/
#   make demo     build and run sipsleuth on the bundled sample trace
#   make test     build and run the unit and script tests once (gcc)
#   make check    everything CI runs: gcc, clang, ASan+UBSan, fuzzing, lint
#   make bench    throughput and memory against tshark (bench/README.md)
BUILD ?= build
JOBS ?= $(shell nproc)
SAMPLE ?= samples/cancel-487.pcapng

.PHONY: all build demo test check bench clean

all: build

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/sipsleuth analyze $(SAMPLE)
	./$(BUILD)/sipsleuth calls samples/kamailio-stray-487.pcap

test: build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure

check:
	bash scripts/check.sh

bench: build
	bash bench/run.sh

clean:
	rm -rf build build-clang build-asan build-fuzz

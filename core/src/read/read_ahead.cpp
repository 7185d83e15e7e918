// ReadAhead (read_ahead.h).
#include "read/read_ahead.h"

#include <algorithm>
#include <cstring>

#if !defined(__EMSCRIPTEN__)
#include <pthread.h>

#include <condition_variable>
#include <mutex>
#define SLUICE_READ_AHEAD 1
#endif

namespace sluice {

#if defined(SLUICE_READ_AHEAD)
// The worker's pieces: a ring of kPieces buffers it fills (each made
// outside the lock, then counted under it) and the reader reads through.
struct ReadAhead::Ring {
  std::mutex mutex;
  std::condition_variable changed;
  std::unique_ptr<char[]> bytes[kPieces];
  size_t sizes[kPieces] = {};
  size_t made = 0;        // pieces made
  size_t taken = 0;       // pieces read through
  size_t read_at = 0;     // (the reader's own) bytes read of the piece it reads
  bool ended = false;     // the worker is done: the source's end, or its error
  bool finished = false;  // the source finished
  std::unique_ptr<Error> error;
  bool stop = false;
  pthread_t thread{};

  void Loop(PieceSource* source) {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [this] { return stop || made - taken < kPieces; });
        if (stop) return;
      }
      const size_t slot = made % kPieces;  // (made changes only here)
      if (!bytes[slot]) bytes[slot].reset(new char[kPieceBytes]);
      Result<size_t> read = source->Read(bytes[slot].get(), kPieceBytes);
      std::lock_guard<std::mutex> lock(mutex);
      if (!read.ok()) error = std::make_unique<Error>(read.error());
      if (read.ok() && read.value() > 0) {
        sizes[slot] = read.value();
        ++made;
      }
      finished = read.ok() && source->finished();
      ended = !read.ok() || read.value() == 0 || finished;
      changed.notify_all();
      if (ended) return;
    }
  }
};
#else
struct ReadAhead::Ring {};
#endif

ReadAhead::ReadAhead(PieceSource* source, bool thread) : source_(source) {
#if defined(SLUICE_READ_AHEAD)
  if (!thread) return;
  ring_ = std::make_unique<Ring>();
  // (pthread_create, not std::thread: without exceptions, a std::thread that
  // cannot start aborts the process; here the caller's thread reads instead.)
  if (pthread_create(&ring_->thread, nullptr, [](void* self) -> void* {
        ReadAhead* ahead = static_cast<ReadAhead*>(self);
        ahead->ring_->Loop(ahead->source_);
        return nullptr;
      }, this) != 0) {
    ring_.reset();
  }
#else
  (void)thread;
#endif
}

ReadAhead::~ReadAhead() {
#if defined(SLUICE_READ_AHEAD)
  if (!ring_) return;
  {
    std::lock_guard<std::mutex> lock(ring_->mutex);
    ring_->stop = true;
    ring_->changed.notify_all();
  }
  pthread_join(ring_->thread, nullptr);  // (a piece being made is made first)
#endif
}

Result<size_t> ReadAhead::Read(char* out, size_t capacity) {
#if defined(SLUICE_READ_AHEAD)
  if (ring_) {
    Ring& ring = *ring_;
    std::unique_lock<std::mutex> lock(ring.mutex);
    ring.changed.wait(lock, [&ring] { return ring.made > ring.taken || ring.ended; });
    if (ring.made == ring.taken) {  // (the worker ended and every piece is read)
      if (ring.error) return *ring.error;
      return size_t{0};
    }
    const size_t slot = ring.taken % kPieces;
    const size_t n = std::min(capacity, ring.sizes[slot] - ring.read_at);
    lock.unlock();  // (the worker leaves a piece alone until it is read through)
    std::memcpy(out, ring.bytes[slot].get() + ring.read_at, n);
    ring.read_at += n;
    if (ring.read_at == ring.sizes[slot]) {
      ring.read_at = 0;
      lock.lock();
      ++ring.taken;
      ring.changed.notify_all();
    }
    return n;
  }
#endif
  return source_->Read(out, capacity);
}

bool ReadAhead::finished() const {
#if defined(SLUICE_READ_AHEAD)
  if (ring_) {
    std::lock_guard<std::mutex> lock(ring_->mutex);
    return ring_->finished && ring_->made == ring_->taken;
  }
#endif
  return source_->finished();
}

}  // namespace sluice

// ReadAhead: bytes made a few pieces ahead of their reader on a worker
// thread: an XLSX part inflated, and its CRC taken, while the pieces before
// it are scanned (xlsx_reader.cpp). Builds without threads (WebAssembly)
// read on the caller's thread.
#ifndef SLUICE_READ_READ_AHEAD_H_
#define SLUICE_READ_READ_AHEAD_H_

#include <cstddef>
#include <memory>

#include "sluice/error.h"

namespace sluice {

//! What a ReadAhead reads: pieces in order (a ZipReader's).
class PieceSource {
 public:
  virtual ~PieceSource() = default;
  //! Up to `capacity` (> 0) bytes into `out`; 0 only at the end.
  virtual Result<size_t> Read(char* out, size_t capacity) = 0;
  //! True once every byte has been read (and checked).
  virtual bool finished() const = 0;
};

class ReadAhead {
 public:
  static constexpr size_t kPieces = 8;
  static constexpr size_t kPieceBytes = 128 * 1024;

  //! Reads `source` (which must outlive this, and which nothing else uses
  //! meanwhile) up to kPieces pieces ahead on a worker thread when `thread`
  //! (and the build has threads, and one starts); else on the caller's
  //! thread, as Read asks.
  ReadAhead(PieceSource* source, bool thread);
  //! Stops the worker (pieces not read are dropped).
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  //! As the source's Read: its bytes in order, then its error (after the
  //! bytes it gave before it) or its end (0).
  Result<size_t> Read(char* out, size_t capacity);
  //! The source's finished(), once every byte it gave has been read here.
  bool finished() const;
  //! Whether a worker thread reads the source.
  bool threaded() const { return ring_ != nullptr; }

 private:
  struct Ring;
  PieceSource* source_;
  std::unique_ptr<Ring> ring_;  // the worker's pieces; null: no worker
};

}  // namespace sluice

#endif  // SLUICE_READ_READ_AHEAD_H_

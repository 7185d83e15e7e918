// The module's imports of its own, sluice.progress, sluice.blob_chunk,
// sluice.blob_size and sluice.read_blob (edge/wasi/exports.cpp), declared so
// Emscripten's link check knows they exist; the hosts provide them
// (edge/hosts/shared/edge-module.mjs). Nothing of this file runs.
mergeInto(LibraryManager.library, {
  progress: function (json, length) {},
  blob_chunk: function (name, nameLength, bytes, length) {},
  blob_size: function (name, nameLength) {},
  read_blob: function (name, nameLength, offset, into, length) {},
});

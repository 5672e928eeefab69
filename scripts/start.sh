#!/bin/sh
# `npm start`: the compiled server (scripts/start.mjs builds it first when stale), with memory settings that keep the
# embedded server within DESIGN §8's 256 MB with 1000 users chatting (`npm run memory`; decision 0008). Each trades a
# little CPU for memory, so only `npm start` sets them; the image and `npm run cluster` run dist/main.js as it is.
#   MALLOC_ARENA_MAX=2            glibc keeps two malloc arenas, not eight per core, for the main thread and PGlite's
#   MALLOC_MMAP_THRESHOLD_=262144 blocks of 256 KB and more are mapped and given back when freed, not kept in an arena
#   --optimize-for-size           V8 keeps a small young generation, grows the heap later and collects sooner
# exec: the server is this process, so the SIGTERM npm passes on reaches its drain.
export MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=262144
exec node --optimize-for-size "$(dirname "$0")/start.mjs" "$@"

/* pool.h - a fixed set of threads that run one function over the items
 * 0 .. n-1 of a job, each item once, on whichever thread claims it first;
 * the caller's thread works too and pool_run returns when every item is done.
 * What an item writes must be its own: the pool shares nothing else. Used by
 * the scheduler (stream.c) to judge the pieces of a step's units in parallel
 * (run --jobs), by the passes between steps (forget.c, strgc.c) and by the
 * report (report.c). A NULL pool is one worker: the caller's thread runs the
 * items in order. */
#ifndef ZD_POOL_H
#define ZD_POOL_H
#include <stdint.h>

typedef struct Pool Pool;

/* fn(ctx, worker, item): worker is 0 (the caller's thread) .. pool_workers - 1. */
typedef void (*PoolFn)(void *ctx, uint32_t worker, uint32_t item);

/* A pool of up to `workers` threads counting the caller's (extra threads that
 * cannot be started are done without). NULL when out of memory. */
Pool *pool_new(uint32_t workers);
/* The number of workers it has: 1 .. the number asked for (1 for NULL). */
uint32_t pool_workers(const Pool *pool);
void pool_run(Pool *pool, uint32_t n, PoolFn fn, void *ctx);
void pool_free(Pool *pool);

#endif

/* pool.c - the threads of pool.h: they sleep on a condition variable between
 * jobs; a job's items are claimed through one atomic counter. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct Thread {
    Pool *pool;
    uint32_t worker;
    pthread_t id;
} Thread;

struct Pool {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    Thread *threads;         /* the extra threads: workers 1 .. nthreads */
    uint32_t nthreads;
    uint64_t job;            /* incremented for each job */
    uint32_t busy;           /* extra threads still in the current job */
    bool quit;
    PoolFn fn;
    void *ctx;
    uint32_t n;
    atomic_uint next;        /* the next item to claim */
};

static void work(Pool *pool, uint32_t worker)
{
    for (;;) {
        unsigned item = atomic_fetch_add(&pool->next, 1u);
        if (item >= pool->n) return;
        pool->fn(pool->ctx, worker, item);
    }
}

static void *thread_main(void *arg)
{
    Thread *t = arg;
    Pool *pool = t->pool;
    uint64_t seen = 0;
    pthread_mutex_lock(&pool->mu);
    for (;;) {
        while (pool->job == seen && !pool->quit) pthread_cond_wait(&pool->go, &pool->mu);
        if (pool->quit) break;
        seen = pool->job;
        pthread_mutex_unlock(&pool->mu);
        work(pool, t->worker);
        pthread_mutex_lock(&pool->mu);
        if (--pool->busy == 0) pthread_cond_signal(&pool->done);
    }
    pthread_mutex_unlock(&pool->mu);
    return NULL;
}

Pool *pool_new(uint32_t workers)
{
    Pool *pool = calloc(1, sizeof *pool);
    if (!pool) return NULL;
    uint32_t extra = workers > 1 ? workers - 1 : 0;
    pool->threads = calloc(extra + 1u, sizeof(Thread));
    if (!pool->threads || pthread_mutex_init(&pool->mu, NULL) != 0) {
        free(pool->threads);
        free(pool);
        return NULL;
    }
    pthread_cond_init(&pool->go, NULL);
    pthread_cond_init(&pool->done, NULL);
    atomic_init(&pool->next, 0u);
    for (uint32_t i = 0; i < extra; i++) {
        Thread *t = &pool->threads[pool->nthreads];
        t->pool = pool;
        t->worker = pool->nthreads + 1;
        if (pthread_create(&t->id, NULL, thread_main, t) != 0) break; /* do with fewer */
        pool->nthreads++;
    }
    return pool;
}

uint32_t pool_workers(const Pool *pool) { return pool ? pool->nthreads + 1 : 1; }

void pool_run(Pool *pool, uint32_t n, PoolFn fn, void *ctx)
{
    if (!pool || n < 2) {
        for (uint32_t i = 0; i < n; i++) fn(ctx, 0, i);
        return;
    }
    pthread_mutex_lock(&pool->mu);
    pool->fn = fn;
    pool->ctx = ctx;
    pool->n = n;
    atomic_store(&pool->next, 0u);
    pool->busy = pool->nthreads;
    pool->job++;
    pthread_cond_broadcast(&pool->go);
    pthread_mutex_unlock(&pool->mu);
    work(pool, 0);
    pthread_mutex_lock(&pool->mu);
    while (pool->busy > 0) pthread_cond_wait(&pool->done, &pool->mu);
    pthread_mutex_unlock(&pool->mu);
}

void pool_free(Pool *pool)
{
    if (!pool) return;
    pthread_mutex_lock(&pool->mu);
    pool->quit = true;
    pthread_cond_broadcast(&pool->go);
    pthread_mutex_unlock(&pool->mu);
    for (uint32_t i = 0; i < pool->nthreads; i++) pthread_join(pool->threads[i].id, NULL);
    pthread_cond_destroy(&pool->go);
    pthread_cond_destroy(&pool->done);
    pthread_mutex_destroy(&pool->mu);
    free(pool->threads);
    free(pool);
}

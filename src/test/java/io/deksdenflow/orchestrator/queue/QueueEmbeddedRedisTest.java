package io.deksdenflow.orchestrator.queue;

/** The queue contract on the embedded Redis server (DEKSDENFLOW_REDIS_URL unset). */
class QueueEmbeddedRedisTest extends QueueRedisContract {
}

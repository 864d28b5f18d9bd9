/**
 * Repository intake: projects submitted as GitHub or git URLs, recorded at once and fetched afterwards
 * (GitHub through its REST API as zipballs, other git URLs cloned with JGit), then packed by the same
 * intake as uploads. Every fetch is first put to the fetch policy ({@code …coordinator.fetchpolicy}), bounded in
 * bytes as they arrive and in time, and told back to the submitter in words that do not map the
 * coordinator's network or disk. The submitter's token is held in memory for that submission's fetches
 * only: never stored, logged, returned or sent to a worker, and sent only over https or to a listed host.
 */
package io.cdnodes.coordinator.repositories;

/**
 * Repository intake: projects submitted as GitHub or git URLs, recorded at once and fetched afterwards
 * (GitHub through its REST API as zipballs, other git URLs cloned with JGit), then packed by the same
 * intake as uploads. The submitter's token is held in memory for that submission's fetches only: never
 * stored, logged, returned or sent to a worker.
 */
package io.cdnodes.coordinator.repositories;

/**
 * Running pytest: the command and environment of a run, the subprocess with its time limit and bounded
 * output, the plugin's JSON-lines report streamed back as results, the slots that bound how many runs
 * happen at once, the serving pytest sessions kept between batches, and the interpreters started ahead for
 * the next session (warm starts).
 */
package io.cdnodes.agent.run;

/**
 * Running pytest: the command and environment of a run, the subprocess with its time limit and bounded
 * output, the plugin's JSON-lines report streamed back as results, and the slots that bound how many runs
 * happen at once.
 */
package io.cdnodes.agent.run;

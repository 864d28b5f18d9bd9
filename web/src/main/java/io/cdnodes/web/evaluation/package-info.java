/** {@code /evaluation}: submissions in, results out (JSON and JUnit XML). */
package io.cdnodes.web.evaluation;

/**
 * What the API says about a project across its evaluations: the tests that flipped between passing and failing
 * ({@code /projects/{name}/flaky}).
 */
package io.cdnodes.web.project;

/**
 * The dashboard in the browser: the war serves one HTML shell for its pages and the files its ES modules and
 * styles are made of (plain files under {@code src/main/resources/dashboard}, Apache ECharts as a WebJar), with no
 * data in any of them; the page signs in with an API key kept for the browser session and reads the API like any
 * other client (web/README.md, "Dashboard").
 */
package io.cdnodes.web.dashboard;

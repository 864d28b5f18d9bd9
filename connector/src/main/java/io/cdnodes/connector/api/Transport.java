package io.cdnodes.connector.api;

/** How a worker is connected. */
public enum Transport { TCP, UNIX }

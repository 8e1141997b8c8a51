/**
 * What the agent asks of the operating system as a service: running as an unprivileged user after
 * binding its sockets ({@link dev.spoa.supervisor.system.Privileges}), the Unix socket's owner and
 * mode, telling systemd how it is doing ({@link dev.spoa.supervisor.system.SystemdNotifier}), and
 * handing the C heap's free memory back ({@link dev.spoa.supervisor.system.HeapTrimmer}).
 * The libc calls go through JNA ({@code LibC}); nothing here is on the request path.
 */
package dev.spoa.supervisor.system;

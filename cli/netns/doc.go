// Package netns builds a small network topology out of Linux network namespaces, for the devnet,
// tests and benchmarks: every storage node runs in a namespace of its own, linked to the client's
// side (the namespace the caller runs in) by a veth pair and a bridge, with addresses from
// 198.18.0.0/15, the range set aside for benchmarks.
//
// Rates are tc qdiscs (tbf) on both ends of each node's veth pair. The kernel this project runs
// on has no netem, so delay is a relay of our own (RunRelay) inside each node's namespace: it
// listens on the namespace's outer address, forwards TCP and UDP to the node on 127.0.0.1, and
// holds every chunk for the node's delay in each direction, so a delay d adds 2d to a round trip.
// The relay reads its delay from a file, so a node can be slowed while a read runs (SetDelay).
//
// Everything a topology makes is named after the process that made it (dsn<pid>...): Close
// removes it, and Cleanup, run by New, removes whatever a process that is gone left behind (a
// killed devnet, a crashed test). It shells out to ip and tc from iproute2 and needs root.
package netns

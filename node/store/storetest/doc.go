// Package storetest helps test what stores pieces: RunConformance, the suite every Store
// implementation must pass, and faults injected into a store.Badger (Damage, DeleteTree,
// TreeVersion) without its database or keys leaving package store.
package storetest

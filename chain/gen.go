package chain

//go:generate bash contracts/generate.sh

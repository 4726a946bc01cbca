// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// Groth16VerifierMetaData contains all meta data concerning the Groth16Verifier contract.
var Groth16VerifierMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"name\":\"ProofInvalid\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PublicInputNotInField\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"compressProof\",\"outputs\":[{\"internalType\":\"uint256[4]\",\"name\":\"compressed\",\"type\":\"uint256[4]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[4]\",\"name\":\"compressedProof\",\"type\":\"uint256[4]\"},{\"internalType\":\"uint256[2]\",\"name\":\"input\",\"type\":\"uint256[2]\"}],\"name\":\"verifyCompressedProof\",\"outputs\":[],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"},{\"internalType\":\"uint256[2]\",\"name\":\"input\",\"type\":\"uint256[2]\"}],\"name\":\"verifyProof\",\"outputs\":[],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Groth16Verifier",
	Bin: "0x60808060405234601557611097908161001a8239f35b5f80fdfe60806040526004361015610011575f80fd5b5f3560e01c80630ea14a3914610879578063e1ff5082146104965763f11817b21461003a575f80fd5b346104925760c03660031901126104925736608411610492573660c411610492576103006100678161096c565b81368237610076600435610cbe565b610087602493929335604435610d29565b91939290610096606435610cbe565b9390926040519660408801967f2fc2a2b2ca3b2e4d83f5b2c9b9add5b8dbd08c8cffaba9a2264329d786dd28a0895288600160208201997f0a2ac35c7806cca92c36fd960cfd16e24a681440d4e258e52d54d601b662264b8b527f0b2b3078fef43b344f3fb86f7352b8e0f3725fe4a9f8622198111938848f695d81527f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001604060608501927f1b3509b8d87679f906a21583e52bc5193874ff6bf7d64be3b19bab042ad2b28b84527f291252886477868defb2ef85db6d59b7458431eb43fc12dbc3ecbeb8931146cd60843596836080820198808a5286828660608160075afa9110169160808160065afa16947f1542953768909bff43f383de4104ae0636c47ae9e844129761e3f008530f1e2c83525260a43580965260608160075afa931016161660408a60808160065afa169851975198156104835760209a8a528a8a015260408901526060880152608087015260a086015260c085015260e08401527f1b66ac761f51f46214a771c0cb2927422a550d8910bc608f2b56884c98c5bd816101008401527f0bd5fc94a961f35d3ab4694329e22ebd1c5ba831020195e1ede03d36281cbb976101208401527f1d3fef72c405a9dfc25dd9b5b86fda5ba5ff33cb7cfa8000ee93c2fc508ed3cd6101408401527f2d0b432515133df9e8bd83c72fb7a81cf00ced08b079eeea59816427c67834cc6101608401527f0ae017d9cc317aa6fbdd6dcf8b8336214660ede6d3f167a113c5eb045ace0b946101808401527f1013253ed8940c539d462fbca3bd0d4a7a73039207bb5e185efe2694977df2626101a08401527f13e2c8a2e6bcc823a17e5f3220b3ea69ac0968d4213e583b1a4924272de5233d6101c08401527f26352571d3a4d7c0e87a102447e7f4989b8b2ca01bb0c16f3209c65940da4c376101e08401527f191106a98afb02dd20ced5bdb6c8e2281bdced764afc46893d4d965409fc4fe06102008401527f2b932e9f9046d6a76c2b519e7bb67eccdaa78bca5761e2f69479a98e4cac45596102208401526102408301526102608201527f1fff08f1e2931bf9c65bc7172732a0ee53b4a6c636af731f93d63f1e823c30216102808201527f03abecc9f1219fffd8dbe8256b3dc6784c7ead6326a1762a9fd7dc4ac74b44ed6102a08201527f0a956759f3481ed2f88e82eaccc4ebc4a8ab4b5f56f753333a5f348d03e2b7d56102c08201527f21339bbd5dea98fb2e7101341b9bc6e082b19fb5900b1b7d82f61a967bd89cf66102e082015261044c8261096c565b9283918336843760085afa15908115610476575b5061046757005b631ff3747d60e21b5f5260045ffd5b600191505114155f610460565b63a54f8e2760e01b5f5260045ffd5b5f80fd5b346104925760603660031901126104925760043567ffffffffffffffff8111610492576104c790369060040161093e565b36606411610492576101006104dc91146109a6565b604051604081017f2fc2a2b2ca3b2e4d83f5b2c9b9add5b8dbd08c8cffaba9a2264329d786dd28a0825260208201907f0a2ac35c7806cca92c36fd960cfd16e24a681440d4e258e52d54d601b662264b82527f0b2b3078fef43b344f3fb86f7352b8e0f3725fe4a9f8622198111938848f695d81526001606084017f1b3509b8d87679f906a21583e52bc5193874ff6bf7d64be3b19bab042ad2b28b81527f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f00000016040602435947f291252886477868defb2ef85db6d59b7458431eb43fc12dbc3ecbeb8931146cd608089019680885284848460608160075afa911016838a60808160065afa16947f1542953768909bff43f383de4104ae0636c47ae9e844129761e3f008530f1e2c83525260443580965260608160075afa931016161660408360808160065afa16915190519115610483576101006040519384377f1b66ac761f51f46214a771c0cb2927422a550d8910bc608f2b56884c98c5bd816101008401527f0bd5fc94a961f35d3ab4694329e22ebd1c5ba831020195e1ede03d36281cbb976101208401527f1d3fef72c405a9dfc25dd9b5b86fda5ba5ff33cb7cfa8000ee93c2fc508ed3cd6101408401527f2d0b432515133df9e8bd83c72fb7a81cf00ced08b079eeea59816427c67834cc6101608401527f0ae017d9cc317aa6fbdd6dcf8b8336214660ede6d3f167a113c5eb045ace0b946101808401527f1013253ed8940c539d462fbca3bd0d4a7a73039207bb5e185efe2694977df2626101a08401527f13e2c8a2e6bcc823a17e5f3220b3ea69ac0968d4213e583b1a4924272de5233d6101c08401527f26352571d3a4d7c0e87a102447e7f4989b8b2ca01bb0c16f3209c65940da4c376101e08401527f191106a98afb02dd20ced5bdb6c8e2281bdced764afc46893d4d965409fc4fe06102008401527f2b932e9f9046d6a76c2b519e7bb67eccdaa78bca5761e2f69479a98e4cac45596102208401526102408301526102608201527f1fff08f1e2931bf9c65bc7172732a0ee53b4a6c636af731f93d63f1e823c30216102808201527f03abecc9f1219fffd8dbe8256b3dc6784c7ead6326a1762a9fd7dc4ac74b44ed6102a08201527f0a956759f3481ed2f88e82eaccc4ebc4a8ab4b5f56f753333a5f348d03e2b7d56102c08201527f21339bbd5dea98fb2e7101341b9bc6e082b19fb5900b1b7d82f61a967bd89cf66102e08201526020816103008160085afa9051161561046757005b346104925760203660031901126104925760043567ffffffffffffffff8111610492576108aa90369060040161093e565b61090f6080926108ca6101006108bf8661096c565b9486368737146109a6565b6108d9602082013582356109e9565b83526108f68482013560a083013560408401356060850135610a8a565b6020850152604084015260c060e08201359101356109e9565b6060820152604051905f825b6004821061092857505050f35b602080600192855181520193019101909161091b565b9181601f840112156104925782359167ffffffffffffffff8311610492576020838186019501011161049257565b6040519190601f01601f1916820167ffffffffffffffff81118382101761099257604052565b634e487b7160e01b5f52604160045260245ffd5b156109ad57565b60405162461bcd60e51b81526020600482015260146024820152730d2dcecc2d8d2c840e0e4dedecc40d8cadccee8d60631b6044820152606490fd5b905f5160206110425f395f51905f528210801590610a73575b61046757811580610a6b575b610a6557610a325f5160206110425f395f51905f5260038185818180090908610e62565b818103610a4157505060011b90565b5f5160206110425f395f51905f52809106810306145f1461046757600190811b1790565b50505f90565b508015610a0e565b505f5160206110425f395f51905f52811015610a02565b919093925f5160206110425f395f51905f528310801590610ca7575b8015610c90575b8015610c79575b610467578082868517171715610c6e57908291610bd15f5160206110425f395f51905f5280808080888180808f9d7f30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd448f839290839109099d8e0981848181800909087f2b149d40ceb8aaae81be18991be06ac3b5b4c5e559dbefa33267e6dc24a138e5089a09818c8181800909087f2fcd3ac2a640a154eb23960892a85a68f031ca0c8344b23a577dcf1052b9e7750806810306945f5160206110425f395f51905f527f183227397098d014dc2822db40c0ac2ecbc0b548b438e5469e10460b6c3e7ea481610bab81808b80098187800908610e62565b8408095f5160206110425f395f51905f52610bc582610fd9565b80091415958691610e85565b929080821480610c65575b15610c035750505050905f14610bfb5760ff60025b169060021b179190565b60ff5f610bf1565b5f5160206110425f395f51905f52809106810306149182610c46575b5050156104675760019115610c3e5760ff60025b169060021b17179190565b60ff5f610c33565b5f5160206110425f395f51905f52919250819006810306145f80610c1f565b50838314610bdc565b50505090505f905f90565b505f5160206110425f395f51905f52811015610ab4565b505f5160206110425f395f51905f52821015610aad565b505f5160206110425f395f51905f52851015610aa6565b8015610d22578060011c915f5160206110425f395f51905f5283101561046757600180610d015f5160206110425f395f51905f5260038188818180090908610e62565b931614610d0a57565b905f5160206110425f395f51905f5280910681030690565b505f905f90565b801580610e5a575b610e4e578060021c92825f5160206110425f395f51905f528510801590610e37575b6104675784815f5160206110425f395f51905f5280808080808080807f30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd4481610e019d8d0909998a0981898181800909087f2fcd3ac2a640a154eb23960892a85a68f031ca0c8344b23a577dcf1052b9e7750806810306936002808a16149509818a8181800909087f2b149d40ceb8aaae81be18991be06ac3b5b4c5e559dbefa33267e6dc24a138e508610e85565b80929160018082961614610e13575050565b5f5160206110425f395f51905f528093945080929550809106810306930681030690565b505f5160206110425f395f51905f52811015610d53565b50505f905f905f905f90565b508115610d31565b90610e6c82610fd9565b915f5160206110425f395f51905f528380090361046757565b915f5160206110425f395f51905f527f183227397098d014dc2822db40c0ac2ecbc0b548b438e5469e10460b6c3e7ea481610edd93969496610ecf82808a8009818a800908610e62565b90610fcd575b860809610e62565b925f5160206110425f395f51905f52600285096040519060208252602080830152602060408301528060608301527f30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd4560808301525f5160206110425f395f51905f5260a083015260208260c08160055afa91519115610467575f5160206110425f395f51905f52826001920903610467575f5160206110425f395f51905f52908209925f5160206110425f395f51905f528080808780090681030681878009081490811591610fae575b5061046757565b90505f5160206110425f395f51905f528084860960020914155f610fa7565b81809106810306610ed5565b9060405191602083526020808401526020604084015260608301527f0c19139cb84c680a6e14116da060561765e05aa45a1c72a34f082305b61f3f5260808301525f5160206110425f395f51905f5260a083015260208260c08160055afa915191156104675756fe30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47a2646970667358221220f1f95c9cb199eb338b24339c71f926f7aa0820a31eafbf910e67142e01c9221c64736f6c634300081e0033",
}

// Groth16Verifier is an auto generated Go binding around an Ethereum contract.
type Groth16Verifier struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Groth16Verifier) GetABI() abi.ABI {
	return c.abi
}

// NewGroth16Verifier creates a new instance of Groth16Verifier.
func NewGroth16Verifier() *Groth16Verifier {
	parsed, err := Groth16VerifierMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Groth16Verifier{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Groth16Verifier) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackCompressProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ea14a39.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function compressProof(bytes proof) view returns(uint256[4] compressed)
func (groth16Verifier *Groth16Verifier) PackCompressProof(proof []byte) []byte {
	enc, err := groth16Verifier.abi.Pack("compressProof", proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCompressProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ea14a39.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function compressProof(bytes proof) view returns(uint256[4] compressed)
func (groth16Verifier *Groth16Verifier) TryPackCompressProof(proof []byte) ([]byte, error) {
	return groth16Verifier.abi.Pack("compressProof", proof)
}

// UnpackCompressProof is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0ea14a39.
//
// Solidity: function compressProof(bytes proof) view returns(uint256[4] compressed)
func (groth16Verifier *Groth16Verifier) UnpackCompressProof(data []byte) ([4]*big.Int, error) {
	out, err := groth16Verifier.abi.Unpack("compressProof", data)
	if err != nil {
		return *new([4]*big.Int), err
	}
	out0 := *abi.ConvertType(out[0], new([4]*big.Int)).(*[4]*big.Int)
	return out0, nil
}

// PackVerifyCompressedProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf11817b2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifyCompressedProof(uint256[4] compressedProof, uint256[2] input) view returns()
func (groth16Verifier *Groth16Verifier) PackVerifyCompressedProof(compressedProof [4]*big.Int, input [2]*big.Int) []byte {
	enc, err := groth16Verifier.abi.Pack("verifyCompressedProof", compressedProof, input)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifyCompressedProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf11817b2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifyCompressedProof(uint256[4] compressedProof, uint256[2] input) view returns()
func (groth16Verifier *Groth16Verifier) TryPackVerifyCompressedProof(compressedProof [4]*big.Int, input [2]*big.Int) ([]byte, error) {
	return groth16Verifier.abi.Pack("verifyCompressedProof", compressedProof, input)
}

// PackVerifyProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe1ff5082.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifyProof(bytes proof, uint256[2] input) view returns()
func (groth16Verifier *Groth16Verifier) PackVerifyProof(proof []byte, input [2]*big.Int) []byte {
	enc, err := groth16Verifier.abi.Pack("verifyProof", proof, input)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifyProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe1ff5082.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifyProof(bytes proof, uint256[2] input) view returns()
func (groth16Verifier *Groth16Verifier) TryPackVerifyProof(proof []byte, input [2]*big.Int) ([]byte, error) {
	return groth16Verifier.abi.Pack("verifyProof", proof, input)
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (groth16Verifier *Groth16Verifier) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], groth16Verifier.abi.Errors["ProofInvalid"].ID.Bytes()[:4]) {
		return groth16Verifier.UnpackProofInvalidError(raw[4:])
	}
	if bytes.Equal(raw[:4], groth16Verifier.abi.Errors["PublicInputNotInField"].ID.Bytes()[:4]) {
		return groth16Verifier.UnpackPublicInputNotInFieldError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// Groth16VerifierProofInvalid represents a ProofInvalid error raised by the Groth16Verifier contract.
type Groth16VerifierProofInvalid struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProofInvalid()
func Groth16VerifierProofInvalidErrorID() common.Hash {
	return common.HexToHash("0x7fcdd1f433fad06e243ebb12f415f49dc48f357e41b96f61f504279fe6bb2ac6")
}

// UnpackProofInvalidError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProofInvalid()
func (groth16Verifier *Groth16Verifier) UnpackProofInvalidError(raw []byte) (*Groth16VerifierProofInvalid, error) {
	out := new(Groth16VerifierProofInvalid)
	if err := groth16Verifier.abi.UnpackIntoInterface(out, "ProofInvalid", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Groth16VerifierPublicInputNotInField represents a PublicInputNotInField error raised by the Groth16Verifier contract.
type Groth16VerifierPublicInputNotInField struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PublicInputNotInField()
func Groth16VerifierPublicInputNotInFieldErrorID() common.Hash {
	return common.HexToHash("0xa54f8e27d960b419368d544cd7616e10e384de098966aa60b80904dd31e7ab38")
}

// UnpackPublicInputNotInFieldError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PublicInputNotInField()
func (groth16Verifier *Groth16Verifier) UnpackPublicInputNotInFieldError(raw []byte) (*Groth16VerifierPublicInputNotInField, error) {
	out := new(Groth16VerifierPublicInputNotInField)
	if err := groth16Verifier.abi.UnpackIntoInterface(out, "PublicInputNotInField", raw); err != nil {
		return nil, err
	}
	return out, nil
}

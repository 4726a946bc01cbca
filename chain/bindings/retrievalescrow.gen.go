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

// RetrievalEscrowReceipt is an auto generated low-level Go binding around an user-defined struct.
type RetrievalEscrowReceipt struct {
	Client     common.Address
	Session    [32]byte
	Bytes      uint64
	Price      *big.Int
	Amount     *big.Int
	TtfbMicros uint32
	Sig        []byte
}

// RetrievalEscrowMetaData contains all meta data concerning the RetrievalEscrow contract.
var RetrievalEscrowMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"withdrawDelay_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"InvalidParams\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"unlockBlock\",\"type\":\"uint64\"}],\"name\":\"NotUnlocked\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"need\",\"type\":\"uint256\"}],\"name\":\"WrongPayment\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"node\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"session\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"bytes_\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"ttfbMicros\",\"type\":\"uint32\"}],\"name\":\"ReceiptRedeemed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"node\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"session\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"reason\",\"type\":\"uint8\"}],\"name\":\"ReceiptRefused\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"unlockBlock\",\"type\":\"uint64\"}],\"name\":\"WithdrawRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_BATCH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"RECEIPT_DOMAIN\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REFUSED_ABOVE_PRICE\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REFUSED_OVERSPENT\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REFUSED_SIGNATURE\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REFUSED_STALE\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"}],\"name\":\"account\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"deposited\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"redeemed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawn\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"unlockBlock\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"node\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"session\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"bytes_\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint32\",\"name\":\"ttfbMicros\",\"type\":\"uint32\"}],\"name\":\"receiptDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"session\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"bytes_\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint32\",\"name\":\"ttfbMicros\",\"type\":\"uint32\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"internalType\":\"structRetrievalEscrow.Receipt[]\",\"name\":\"rs\",\"type\":\"tuple[]\"}],\"name\":\"redeem\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"requestWithdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"sessionRedeemed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "RetrievalEscrow",
	Bin: "0x60a0346100ae57601f610d2e38819003918201601f19168301916001600160401b038311848410176100b2578084926020946040528339810103126100ae57516001600160401b0381168082036100ae571561007757608052604051610c6790816100c7823960805181818161020801526106550152f35b60405163a8c278dd60e01b815260206004820152600e60248201526d77697468647261772064656c617960901b6044820152606490fd5b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081630288a39c1461063857508063034d67a51461051d57806325628158146104ab5780633ccfd60b146103cb5780634568a1891461039157806373b9aa911461032f57806377d75e9e14610314578063950bff9f146102f85780639875d59a146102dd578063b3423eec146101dc578063bd8b2ce7146101c1578063c11fcbe0146101a6578063d0e30db0146100e45763dae28b05146100b6575f80fd5b346100e05760203660031901126100e0576004355f526001602052602060405f2054604051908152f35b5f80fd5b5f3660031901126100e057341561018e57335f525f602052600360405f2061010d34825461068f565b8155016001600160401b0381541661014e575b6040513481527f2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c460203392a2005b6001600160401b031981541690556040515f81527f2887485e7a98bcb906cc681a7cff23e4837b3d62c9f6ceebddf6a872d61a772460203392a280610120565b630374cb4760e21b5f525f600452600160245260445ffd5b346100e0575f3660031901126100e057602060405160018152f35b346100e0575f3660031901126100e057602060405160028152f35b346100e0575f3660031901126100e057335f525f60205260405f208054156102a3576001600160401b037f0000000000000000000000000000000000000000000000000000000000000000166001600160401b03431601906001600160401b03821161028f5760036001600160401b039101911690816001600160401b03198254161790556040519081527f2887485e7a98bcb906cc681a7cff23e4837b3d62c9f6ceebddf6a872d61a772460203392a2005b634e487b7160e01b5f52601160045260245ffd5b60405163a8c278dd60e01b81526020600482015260116024820152701b9bdd1a1a5b99c819195c1bdcda5d1959607a1b6044820152606490fd5b346100e0575f3660031901126100e057602060405160048152f35b346100e0575f3660031901126100e05760206040516101008152f35b346100e0575f3660031901126100e057602060405160038152f35b346100e05760203660031901126100e0576001600160a01b03610350610679565b165f525f602052608060405f208054906001810154906001600160401b03600360028301549201541691604051938452602084015260408301526060820152f35b346100e0575f3660031901126100e05760206040517f0d35206d9306097e4d04673621ea9e4c8c2d86d4303405d910d6483539391a4e8152f35b346100e0575f3660031901126100e057335f525f60205260405f20600381016001600160401b03815416801580156104a2575b610490575f8080808686600261041a83546001850154906107aa565b920161043261042b825480956107aa565b809461068f565b90556001600160401b031981541690556040518181527f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d560203392a2335af16104796106d1565b501561048157005b6312171d8360e31b5f5260045ffd5b63505162f360e01b5f5260045260245ffd5b508043106103fe565b346100e05760e03660031901126100e0576104c4610679565b602435906001600160a01b03821682036100e057606435906001600160401b03821682036100e05760c4359063ffffffff821682036100e0576020936105159360a43592608435926044359161070f565b604051908152f35b346100e05760203660031901126100e0576004356001600160401b0381116100e057366023820112156100e0578060040135906001600160401b0382116100e0573660248360051b830101116100e0575f908215801561062d575b6105fa5782905f6101021982360301935b838210156105c55760248260051b84010135858112156100e0576001916105b760246105bd938701016107f0565b9061068f565b910190610589565b806105d6575b602090604051908152f35b5f80808084335af16105e66106d1565b506105cb576312171d8360e31b5f5260045ffd5b60405163a8c278dd60e01b815260206004820152600a60248201526962617463682073697a6560b01b6044820152606490fd5b506101008311610578565b346100e0575f3660031901126100e0576020906001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b600435906001600160a01b03821682036100e057565b9190820180921161028f57565b90601f801991011681019081106001600160401b038211176106bd57604052565b634e487b7160e01b5f52604160045260245ffd5b3d1561070a573d906001600160401b0382116106bd57604051916106ff601f8201601f19166020018461069c565b82523d5f602084013e565b606090565b95926001600160401b039063ffffffff959296936040519760208901997f0d35206d9306097e4d04673621ea9e4c8c2d86d4303405d910d6483539391a4e8b524660408b01523060608b015260018060a01b031660808a015260018060a01b031660a089015260c08801521660e08601526101008501526101208401521661014082015261014081526107a46101608261069c565b51902090565b9190820391821161028f57565b356001600160a01b03811681036100e05790565b356001600160401b03811681036100e05790565b3563ffffffff811681036100e05790565b6107f9816107b7565b602082013590604083019061080d826107cb565b906060850135610835608087013592838360a08a01968961082d896107df565b94339061070f565b60c0870135601e19883603018112156100e05787018035906001600160401b0382116100e05760200181360381136100e05761087092610af1565b6001600160a01b03610881886107b7565b6001600160a01b03909216911614801590610ad8575b610a9f576001600160401b036108ac856107cb565b1681810291818304149015171561028f578111610a68576108cc856107b7565b604051602081019160018060a01b03168252336040820152856060820152606081526108f960808261069c565b51902094855f52600160205260405f205480831115610a2d5761091c90836107aa565b956001600160a01b0361092e836107b7565b165f525f60205260405f209061095b825492600261095260018301958654906107aa565b910154906107aa565b88116109f15761099263ffffffff949361099e93610998935f5260016020528560405f205561098b8b825461068f565b90556107b7565b956107cb565b936107df565b906001600160401b036040519416845260208401528560408401521660608201527fb1e5cbfdf28f5d0292376c1e66854e8544f368a0524117d5b2af9077f1c441e46080339360018060a01b031692a490565b509495506001600160a01b039450610a0d935091506107b79050565b1660405190600382525f516020610c125f395f51905f5260203393a45f90565b509394506001600160a01b0393610a48935091506107b79050565b1660405190600282525f516020610c125f395f51905f5260203393a45f90565b5091926001600160a01b039250610a7f91506107b7565b1660405190600482525f516020610c125f395f51905f5260203393a45f90565b5092936001600160a01b039350610ab8925090506107b7565b1660405190600182525f516020610c125f395f51905f5260203393a45f90565b506001600160a01b03610aea876107b7565b1615610897565b60418303610c0a57826020116100e057813591836040116100e05760208101359360401015610bf6576040013560f81c601b8110610bd6575b7f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08411610bce576020935f9360ff608094604051888101917f19457468657265756d205369676e6564204d6573736167653a0a3332000000008352603c820152603c8152610b99605c8261069c565b5190209360405194855216868401526040830152606082015282805260015afa15610bc3575f5190565b6040513d5f823e3d90fd5b505050505f90565b601b0160ff811115610b2a57634e487b7160e01b5f52601160045260245ffd5b634e487b7160e01b5f52603260045260245ffd5b5050505f9056fede59bcaab55e1bc5999819cb962b230b09e05019b45e99ea2797659c9b137cb5a264697066735822122033f3d8a96c267d96b0eec79b78c7c65d8f4745231878c21a98cf8f1fb4d15bfe64736f6c634300081e0033",
}

// RetrievalEscrow is an auto generated Go binding around an Ethereum contract.
type RetrievalEscrow struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *RetrievalEscrow) GetABI() abi.ABI {
	return c.abi
}

// NewRetrievalEscrow creates a new instance of RetrievalEscrow.
func NewRetrievalEscrow() *RetrievalEscrow {
	parsed, err := RetrievalEscrowMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &RetrievalEscrow{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *RetrievalEscrow) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint64 withdrawDelay_) returns()
func (retrievalEscrow *RetrievalEscrow) PackConstructor(withdrawDelay_ uint64) []byte {
	enc, err := retrievalEscrow.abi.Pack("", withdrawDelay_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXBATCH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x950bff9f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (retrievalEscrow *RetrievalEscrow) PackMAXBATCH() []byte {
	enc, err := retrievalEscrow.abi.Pack("MAX_BATCH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXBATCH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x950bff9f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (retrievalEscrow *RetrievalEscrow) TryPackMAXBATCH() ([]byte, error) {
	return retrievalEscrow.abi.Pack("MAX_BATCH")
}

// UnpackMAXBATCH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x950bff9f.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (retrievalEscrow *RetrievalEscrow) UnpackMAXBATCH(data []byte) (*big.Int, error) {
	out, err := retrievalEscrow.abi.Unpack("MAX_BATCH", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRECEIPTDOMAIN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4568a189.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function RECEIPT_DOMAIN() view returns(bytes32)
func (retrievalEscrow *RetrievalEscrow) PackRECEIPTDOMAIN() []byte {
	enc, err := retrievalEscrow.abi.Pack("RECEIPT_DOMAIN")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRECEIPTDOMAIN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4568a189.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function RECEIPT_DOMAIN() view returns(bytes32)
func (retrievalEscrow *RetrievalEscrow) TryPackRECEIPTDOMAIN() ([]byte, error) {
	return retrievalEscrow.abi.Pack("RECEIPT_DOMAIN")
}

// UnpackRECEIPTDOMAIN is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4568a189.
//
// Solidity: function RECEIPT_DOMAIN() view returns(bytes32)
func (retrievalEscrow *RetrievalEscrow) UnpackRECEIPTDOMAIN(data []byte) ([32]byte, error) {
	out, err := retrievalEscrow.abi.Unpack("RECEIPT_DOMAIN", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackREFUSEDABOVEPRICE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9875d59a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REFUSED_ABOVE_PRICE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) PackREFUSEDABOVEPRICE() []byte {
	enc, err := retrievalEscrow.abi.Pack("REFUSED_ABOVE_PRICE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREFUSEDABOVEPRICE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9875d59a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REFUSED_ABOVE_PRICE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) TryPackREFUSEDABOVEPRICE() ([]byte, error) {
	return retrievalEscrow.abi.Pack("REFUSED_ABOVE_PRICE")
}

// UnpackREFUSEDABOVEPRICE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9875d59a.
//
// Solidity: function REFUSED_ABOVE_PRICE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) UnpackREFUSEDABOVEPRICE(data []byte) (uint8, error) {
	out, err := retrievalEscrow.abi.Unpack("REFUSED_ABOVE_PRICE", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackREFUSEDOVERSPENT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x77d75e9e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REFUSED_OVERSPENT() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) PackREFUSEDOVERSPENT() []byte {
	enc, err := retrievalEscrow.abi.Pack("REFUSED_OVERSPENT")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREFUSEDOVERSPENT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x77d75e9e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REFUSED_OVERSPENT() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) TryPackREFUSEDOVERSPENT() ([]byte, error) {
	return retrievalEscrow.abi.Pack("REFUSED_OVERSPENT")
}

// UnpackREFUSEDOVERSPENT is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x77d75e9e.
//
// Solidity: function REFUSED_OVERSPENT() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) UnpackREFUSEDOVERSPENT(data []byte) (uint8, error) {
	out, err := retrievalEscrow.abi.Unpack("REFUSED_OVERSPENT", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackREFUSEDSIGNATURE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc11fcbe0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REFUSED_SIGNATURE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) PackREFUSEDSIGNATURE() []byte {
	enc, err := retrievalEscrow.abi.Pack("REFUSED_SIGNATURE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREFUSEDSIGNATURE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc11fcbe0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REFUSED_SIGNATURE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) TryPackREFUSEDSIGNATURE() ([]byte, error) {
	return retrievalEscrow.abi.Pack("REFUSED_SIGNATURE")
}

// UnpackREFUSEDSIGNATURE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc11fcbe0.
//
// Solidity: function REFUSED_SIGNATURE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) UnpackREFUSEDSIGNATURE(data []byte) (uint8, error) {
	out, err := retrievalEscrow.abi.Unpack("REFUSED_SIGNATURE", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackREFUSEDSTALE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd8b2ce7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REFUSED_STALE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) PackREFUSEDSTALE() []byte {
	enc, err := retrievalEscrow.abi.Pack("REFUSED_STALE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREFUSEDSTALE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd8b2ce7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REFUSED_STALE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) TryPackREFUSEDSTALE() ([]byte, error) {
	return retrievalEscrow.abi.Pack("REFUSED_STALE")
}

// UnpackREFUSEDSTALE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbd8b2ce7.
//
// Solidity: function REFUSED_STALE() view returns(uint8)
func (retrievalEscrow *RetrievalEscrow) UnpackREFUSEDSTALE(data []byte) (uint8, error) {
	out, err := retrievalEscrow.abi.Unpack("REFUSED_STALE", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73b9aa91.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function account(address client) view returns(uint256 deposited, uint256 redeemed, uint256 withdrawn, uint64 unlockBlock)
func (retrievalEscrow *RetrievalEscrow) PackAccount(client common.Address) []byte {
	enc, err := retrievalEscrow.abi.Pack("account", client)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73b9aa91.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function account(address client) view returns(uint256 deposited, uint256 redeemed, uint256 withdrawn, uint64 unlockBlock)
func (retrievalEscrow *RetrievalEscrow) TryPackAccount(client common.Address) ([]byte, error) {
	return retrievalEscrow.abi.Pack("account", client)
}

// AccountOutput serves as a container for the return parameters of contract
// method Account.
type AccountOutput struct {
	Deposited   *big.Int
	Redeemed    *big.Int
	Withdrawn   *big.Int
	UnlockBlock uint64
}

// UnpackAccount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x73b9aa91.
//
// Solidity: function account(address client) view returns(uint256 deposited, uint256 redeemed, uint256 withdrawn, uint64 unlockBlock)
func (retrievalEscrow *RetrievalEscrow) UnpackAccount(data []byte) (AccountOutput, error) {
	out, err := retrievalEscrow.abi.Unpack("account", data)
	outstruct := new(AccountOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Deposited = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Redeemed = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.Withdrawn = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	outstruct.UnlockBlock = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0e30db0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit() payable returns()
func (retrievalEscrow *RetrievalEscrow) PackDeposit() []byte {
	enc, err := retrievalEscrow.abi.Pack("deposit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0e30db0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit() payable returns()
func (retrievalEscrow *RetrievalEscrow) TryPackDeposit() ([]byte, error) {
	return retrievalEscrow.abi.Pack("deposit")
}

// PackReceiptDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x25628158.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function receiptDigest(address client, address node, bytes32 session, uint64 bytes_, uint256 price, uint256 amount, uint32 ttfbMicros) view returns(bytes32)
func (retrievalEscrow *RetrievalEscrow) PackReceiptDigest(client common.Address, node common.Address, session [32]byte, bytes uint64, price *big.Int, amount *big.Int, ttfbMicros uint32) []byte {
	enc, err := retrievalEscrow.abi.Pack("receiptDigest", client, node, session, bytes, price, amount, ttfbMicros)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReceiptDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x25628158.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function receiptDigest(address client, address node, bytes32 session, uint64 bytes_, uint256 price, uint256 amount, uint32 ttfbMicros) view returns(bytes32)
func (retrievalEscrow *RetrievalEscrow) TryPackReceiptDigest(client common.Address, node common.Address, session [32]byte, bytes uint64, price *big.Int, amount *big.Int, ttfbMicros uint32) ([]byte, error) {
	return retrievalEscrow.abi.Pack("receiptDigest", client, node, session, bytes, price, amount, ttfbMicros)
}

// UnpackReceiptDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x25628158.
//
// Solidity: function receiptDigest(address client, address node, bytes32 session, uint64 bytes_, uint256 price, uint256 amount, uint32 ttfbMicros) view returns(bytes32)
func (retrievalEscrow *RetrievalEscrow) UnpackReceiptDigest(data []byte) ([32]byte, error) {
	out, err := retrievalEscrow.abi.Unpack("receiptDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRedeem is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x034d67a5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function redeem((address,bytes32,uint64,uint256,uint256,uint32,bytes)[] rs) returns(uint256 paid)
func (retrievalEscrow *RetrievalEscrow) PackRedeem(rs []RetrievalEscrowReceipt) []byte {
	enc, err := retrievalEscrow.abi.Pack("redeem", rs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRedeem is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x034d67a5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function redeem((address,bytes32,uint64,uint256,uint256,uint32,bytes)[] rs) returns(uint256 paid)
func (retrievalEscrow *RetrievalEscrow) TryPackRedeem(rs []RetrievalEscrowReceipt) ([]byte, error) {
	return retrievalEscrow.abi.Pack("redeem", rs)
}

// UnpackRedeem is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x034d67a5.
//
// Solidity: function redeem((address,bytes32,uint64,uint256,uint256,uint32,bytes)[] rs) returns(uint256 paid)
func (retrievalEscrow *RetrievalEscrow) UnpackRedeem(data []byte) (*big.Int, error) {
	out, err := retrievalEscrow.abi.Unpack("redeem", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRequestWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3423eec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestWithdraw() returns()
func (retrievalEscrow *RetrievalEscrow) PackRequestWithdraw() []byte {
	enc, err := retrievalEscrow.abi.Pack("requestWithdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3423eec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestWithdraw() returns()
func (retrievalEscrow *RetrievalEscrow) TryPackRequestWithdraw() ([]byte, error) {
	return retrievalEscrow.abi.Pack("requestWithdraw")
}

// PackSessionRedeemed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdae28b05.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function sessionRedeemed(bytes32 ) view returns(uint256)
func (retrievalEscrow *RetrievalEscrow) PackSessionRedeemed(arg0 [32]byte) []byte {
	enc, err := retrievalEscrow.abi.Pack("sessionRedeemed", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSessionRedeemed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdae28b05.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function sessionRedeemed(bytes32 ) view returns(uint256)
func (retrievalEscrow *RetrievalEscrow) TryPackSessionRedeemed(arg0 [32]byte) ([]byte, error) {
	return retrievalEscrow.abi.Pack("sessionRedeemed", arg0)
}

// UnpackSessionRedeemed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdae28b05.
//
// Solidity: function sessionRedeemed(bytes32 ) view returns(uint256)
func (retrievalEscrow *RetrievalEscrow) UnpackSessionRedeemed(data []byte) (*big.Int, error) {
	out, err := retrievalEscrow.abi.Unpack("sessionRedeemed", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (retrievalEscrow *RetrievalEscrow) PackWithdraw() []byte {
	enc, err := retrievalEscrow.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (retrievalEscrow *RetrievalEscrow) TryPackWithdraw() ([]byte, error) {
	return retrievalEscrow.abi.Pack("withdraw")
}

// PackWithdrawDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0288a39c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawDelay() view returns(uint64)
func (retrievalEscrow *RetrievalEscrow) PackWithdrawDelay() []byte {
	enc, err := retrievalEscrow.abi.Pack("withdrawDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0288a39c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawDelay() view returns(uint64)
func (retrievalEscrow *RetrievalEscrow) TryPackWithdrawDelay() ([]byte, error) {
	return retrievalEscrow.abi.Pack("withdrawDelay")
}

// UnpackWithdrawDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0288a39c.
//
// Solidity: function withdrawDelay() view returns(uint64)
func (retrievalEscrow *RetrievalEscrow) UnpackWithdrawDelay(data []byte) (uint64, error) {
	out, err := retrievalEscrow.abi.Unpack("withdrawDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// RetrievalEscrowDeposited represents a Deposited event raised by the RetrievalEscrow contract.
type RetrievalEscrowDeposited struct {
	Client common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const RetrievalEscrowDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (RetrievalEscrowDeposited) ContractEventName() string {
	return RetrievalEscrowDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(address indexed client, uint256 amount)
func (retrievalEscrow *RetrievalEscrow) UnpackDepositedEvent(log *types.Log) (*RetrievalEscrowDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != retrievalEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RetrievalEscrowDeposited)
	if len(log.Data) > 0 {
		if err := retrievalEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range retrievalEscrow.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RetrievalEscrowReceiptRedeemed represents a ReceiptRedeemed event raised by the RetrievalEscrow contract.
type RetrievalEscrowReceiptRedeemed struct {
	Client     common.Address
	Node       common.Address
	Session    [32]byte
	Bytes      uint64
	Amount     *big.Int
	Paid       *big.Int
	TtfbMicros uint32
	Raw        *types.Log // Blockchain specific contextual infos
}

const RetrievalEscrowReceiptRedeemedEventName = "ReceiptRedeemed"

// ContractEventName returns the user-defined event name.
func (RetrievalEscrowReceiptRedeemed) ContractEventName() string {
	return RetrievalEscrowReceiptRedeemedEventName
}

// UnpackReceiptRedeemedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ReceiptRedeemed(address indexed client, address indexed node, bytes32 indexed session, uint64 bytes_, uint256 amount, uint256 paid, uint32 ttfbMicros)
func (retrievalEscrow *RetrievalEscrow) UnpackReceiptRedeemedEvent(log *types.Log) (*RetrievalEscrowReceiptRedeemed, error) {
	event := "ReceiptRedeemed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != retrievalEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RetrievalEscrowReceiptRedeemed)
	if len(log.Data) > 0 {
		if err := retrievalEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range retrievalEscrow.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RetrievalEscrowReceiptRefused represents a ReceiptRefused event raised by the RetrievalEscrow contract.
type RetrievalEscrowReceiptRefused struct {
	Client  common.Address
	Node    common.Address
	Session [32]byte
	Reason  uint8
	Raw     *types.Log // Blockchain specific contextual infos
}

const RetrievalEscrowReceiptRefusedEventName = "ReceiptRefused"

// ContractEventName returns the user-defined event name.
func (RetrievalEscrowReceiptRefused) ContractEventName() string {
	return RetrievalEscrowReceiptRefusedEventName
}

// UnpackReceiptRefusedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ReceiptRefused(address indexed client, address indexed node, bytes32 indexed session, uint8 reason)
func (retrievalEscrow *RetrievalEscrow) UnpackReceiptRefusedEvent(log *types.Log) (*RetrievalEscrowReceiptRefused, error) {
	event := "ReceiptRefused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != retrievalEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RetrievalEscrowReceiptRefused)
	if len(log.Data) > 0 {
		if err := retrievalEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range retrievalEscrow.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RetrievalEscrowWithdrawRequested represents a WithdrawRequested event raised by the RetrievalEscrow contract.
type RetrievalEscrowWithdrawRequested struct {
	Client      common.Address
	UnlockBlock uint64
	Raw         *types.Log // Blockchain specific contextual infos
}

const RetrievalEscrowWithdrawRequestedEventName = "WithdrawRequested"

// ContractEventName returns the user-defined event name.
func (RetrievalEscrowWithdrawRequested) ContractEventName() string {
	return RetrievalEscrowWithdrawRequestedEventName
}

// UnpackWithdrawRequestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WithdrawRequested(address indexed client, uint64 unlockBlock)
func (retrievalEscrow *RetrievalEscrow) UnpackWithdrawRequestedEvent(log *types.Log) (*RetrievalEscrowWithdrawRequested, error) {
	event := "WithdrawRequested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != retrievalEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RetrievalEscrowWithdrawRequested)
	if len(log.Data) > 0 {
		if err := retrievalEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range retrievalEscrow.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RetrievalEscrowWithdrawn represents a Withdrawn event raised by the RetrievalEscrow contract.
type RetrievalEscrowWithdrawn struct {
	Client common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const RetrievalEscrowWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (RetrievalEscrowWithdrawn) ContractEventName() string {
	return RetrievalEscrowWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed client, uint256 amount)
func (retrievalEscrow *RetrievalEscrow) UnpackWithdrawnEvent(log *types.Log) (*RetrievalEscrowWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != retrievalEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RetrievalEscrowWithdrawn)
	if len(log.Data) > 0 {
		if err := retrievalEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range retrievalEscrow.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (retrievalEscrow *RetrievalEscrow) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], retrievalEscrow.abi.Errors["InvalidParams"].ID.Bytes()[:4]) {
		return retrievalEscrow.UnpackInvalidParamsError(raw[4:])
	}
	if bytes.Equal(raw[:4], retrievalEscrow.abi.Errors["NotUnlocked"].ID.Bytes()[:4]) {
		return retrievalEscrow.UnpackNotUnlockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], retrievalEscrow.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return retrievalEscrow.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], retrievalEscrow.abi.Errors["WrongPayment"].ID.Bytes()[:4]) {
		return retrievalEscrow.UnpackWrongPaymentError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RetrievalEscrowInvalidParams represents a InvalidParams error raised by the RetrievalEscrow contract.
type RetrievalEscrowInvalidParams struct {
	Reason string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidParams(string reason)
func RetrievalEscrowInvalidParamsErrorID() common.Hash {
	return common.HexToHash("0xa8c278dd678025fcd1ba899b5c9701b4f3cde35c26cff3abbdc63ff5ceeeb107")
}

// UnpackInvalidParamsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidParams(string reason)
func (retrievalEscrow *RetrievalEscrow) UnpackInvalidParamsError(raw []byte) (*RetrievalEscrowInvalidParams, error) {
	out := new(RetrievalEscrowInvalidParams)
	if err := retrievalEscrow.abi.UnpackIntoInterface(out, "InvalidParams", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RetrievalEscrowNotUnlocked represents a NotUnlocked error raised by the RetrievalEscrow contract.
type RetrievalEscrowNotUnlocked struct {
	UnlockBlock uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotUnlocked(uint64 unlockBlock)
func RetrievalEscrowNotUnlockedErrorID() common.Hash {
	return common.HexToHash("0x505162f3e5e94df997a93b1efabe7d360e684675f7f241a7a11c84c497e60bcc")
}

// UnpackNotUnlockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotUnlocked(uint64 unlockBlock)
func (retrievalEscrow *RetrievalEscrow) UnpackNotUnlockedError(raw []byte) (*RetrievalEscrowNotUnlocked, error) {
	out := new(RetrievalEscrowNotUnlocked)
	if err := retrievalEscrow.abi.UnpackIntoInterface(out, "NotUnlocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RetrievalEscrowTransferFailed represents a TransferFailed error raised by the RetrievalEscrow contract.
type RetrievalEscrowTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func RetrievalEscrowTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (retrievalEscrow *RetrievalEscrow) UnpackTransferFailedError(raw []byte) (*RetrievalEscrowTransferFailed, error) {
	out := new(RetrievalEscrowTransferFailed)
	if err := retrievalEscrow.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RetrievalEscrowWrongPayment represents a WrongPayment error raised by the RetrievalEscrow contract.
type RetrievalEscrowWrongPayment struct {
	Sent *big.Int
	Need *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongPayment(uint256 sent, uint256 need)
func RetrievalEscrowWrongPaymentErrorID() common.Hash {
	return common.HexToHash("0x0dd32d1c3ef0af2f42e38a7f633c5c154da0aa1d3a58e8dcd04bcd6fb310ac9d")
}

// UnpackWrongPaymentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongPayment(uint256 sent, uint256 need)
func (retrievalEscrow *RetrievalEscrow) UnpackWrongPaymentError(raw []byte) (*RetrievalEscrowWrongPayment, error) {
	out := new(RetrievalEscrowWrongPayment)
	if err := retrievalEscrow.abi.UnpackIntoInterface(out, "WrongPayment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

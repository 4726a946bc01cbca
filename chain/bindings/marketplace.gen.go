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

// MarketplaceProvider is an auto generated low-level Go binding around an user-defined struct.
type MarketplaceProvider struct {
	PeerId     string
	Addrs      []string
	Price      *big.Int
	Registered bool
}

// MarketplaceRequest is an auto generated low-level Go binding around an user-defined struct.
type MarketplaceRequest struct {
	Client           common.Address
	RootCid          []byte
	ManifestCid      []byte
	Size             uint64
	K                uint32
	M                uint32
	ProofPeriod      uint64
	ProofProbability uint64
	StartPeriod      uint64
	EndPeriod        uint64
	PricePerPeriod   *big.Int
	Collateral       *big.Int
	Escrow           *big.Int
	Compensation     *big.Int
	Finished         bool
	SlotRoots        []*big.Int
	Hosts            []common.Address
}

// MarketplaceRequestParams is an auto generated low-level Go binding around an user-defined struct.
type MarketplaceRequestParams struct {
	RootCid          []byte
	ManifestCid      []byte
	Size             uint64
	K                uint32
	M                uint32
	SlotRoots        []*big.Int
	Hosts            []common.Address
	Duration         uint64
	ProofPeriod      uint64
	ProofProbability uint64
	PricePerPeriod   *big.Int
	Collateral       *big.Int
}

// MarketplaceSlot is an auto generated low-level Go binding around an user-defined struct.
type MarketplaceSlot struct {
	Provider     common.Address
	FilledPeriod uint64
	Proven       uint32
	Missed       uint32
	Collateral   *big.Int
	Paid         *big.Int
}

// MarketplaceMetaData contains all meta data concerning the Marketplace contract.
var MarketplaceMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"verifier_\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"slashPercentage_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"rewardPercentage_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxMissedProofs_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"finishGrace_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AlreadyDone\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"AlreadyHoldsSlot\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadHeader\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadSlot\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EntropyUnavailable\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"have\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"need\",\"type\":\"uint256\"}],\"name\":\"InsufficientCollateral\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"InvalidParams\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidProof\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotChallenged\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotHost\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotSlotProvider\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"RequestIsFinished\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"RequestNotEnded\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SlotNotFilled\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SlotTaken\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TooLate\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"UnknownRequest\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WindowOpen\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"need\",\"type\":\"uint256\"}],\"name\":\"WrongPayment\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"CollateralReturned\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"period\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"entropy\",\"type\":\"bytes32\"}],\"name\":\"EntropyRecorded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"period\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"reporter\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"reward\",\"type\":\"uint256\"}],\"name\":\"ProofMissed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"period\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"challenge\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"payment\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"ProofSubmitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"ProviderRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"manifestCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"k\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"m\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"startPeriod\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"endPeriod\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"}],\"name\":\"RequestCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"lost\",\"type\":\"uint32\"}],\"name\":\"RequestFailed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refund\",\"type\":\"uint256\"}],\"name\":\"RequestFinished\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"name\":\"SlotFilled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"forfeited\",\"type\":\"uint256\"}],\"name\":\"SlotFreed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"formerProvider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"reward\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"lost\",\"type\":\"uint32\"}],\"name\":\"SlotRepairOpened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"reward\",\"type\":\"uint256\"}],\"name\":\"SlotRepaired\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"FIELD_MODULUS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_CID_BYTES\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PEER_BYTES\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PROOF_PERIOD\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_REWARD_PERCENTAGE\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_SLOTS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REPAIR_REWARD_PERCENTAGE\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balances\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"entropy\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"challengeValue\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"manifestCid\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"k\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"m\",\"type\":\"uint32\"},{\"internalType\":\"uint256[]\",\"name\":\"slotRoots\",\"type\":\"uint256[]\"},{\"internalType\":\"address[]\",\"name\":\"hosts\",\"type\":\"address[]\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofProbability\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"internalType\":\"structMarketplace.RequestParams\",\"name\":\"p\",\"type\":\"tuple\"}],\"name\":\"createRequest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"currentPeriod\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"}],\"name\":\"fillSlot\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"finishBlock\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"finishGrace\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"finishRequest\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"header\",\"type\":\"bytes\"}],\"name\":\"getChallenge\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"required\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"period\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"entropy\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"challenge\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"state\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"getProvider\",\"outputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"registered\",\"type\":\"bool\"}],\"internalType\":\"structMarketplace.Provider\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"getRequest\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"manifestCid\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"k\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"m\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofProbability\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"startPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"endPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"compensation\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"finished\",\"type\":\"bool\"},{\"internalType\":\"uint256[]\",\"name\":\"slotRoots\",\"type\":\"uint256[]\"},{\"internalType\":\"address[]\",\"name\":\"hosts\",\"type\":\"address[]\"}],\"internalType\":\"structMarketplace.Request\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"}],\"name\":\"getSlot\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"filledPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"proven\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"missed\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"internalType\":\"structMarketplace.Slot\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"holdsSlot\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"period\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"entropy\",\"type\":\"bytes32\"}],\"name\":\"isChallenged\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"lostSlots\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"period\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"header\",\"type\":\"bytes\"}],\"name\":\"markProofAsMissing\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxMissedProofs\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"nonces\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"period\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"header\",\"type\":\"bytes\"}],\"name\":\"periodEntropy\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"periodState\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"period\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"header\",\"type\":\"bytes\"}],\"name\":\"recordEntropy\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"recordedEntropy\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"registerProvider\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"repairOpen\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"repairReward\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rewardPercentage\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slashPercentage\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"slotIndex\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"header\",\"type\":\"bytes\"}],\"name\":\"submitProof\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIGroth16Verifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Marketplace",
	Bin: "0x6101203461025c57601f61387938819003918201601f19168301916001600160401b038311848410176102605780849260a09460405283398101031261025c578051906001600160a01b03821680830361025c57602082015160408301519160806060850151940151943b15610216578115801561020c575b6101c6576019831161018057831561013a5764010000000085116101065760805260a05260c05260e05261010052604051613604908161027582396080518181816123d20152612561015260a05181818161090f0152610d53015260c05181818161095b0152611b6c015260e051818181610a200152610de40152610100518181816127ed0152612b0c0152f35b60405163a8c278dd60e01b815260206004820152600b60248201526a66696e697368477261636560a81b6044820152606490fd5b60405163a8c278dd60e01b815260206004820152601760248201527f6d61784d697373656450726f6f6673206973207a65726f0000000000000000006044820152606490fd5b60405163a8c278dd60e01b815260206004820152601960248201527f72657761726450657263656e746167652061626f7665203235000000000000006044820152606490fd5b60405163a8c278dd60e01b815260206004820152601d60248201527f736c61736850657263656e74616765206e6f7420696e20312e2e3130300000006044820152606490fd5b5060648211610078565b60405163a8c278dd60e01b815260206004820152601460248201527f766572696669657220686173206e6f20636f64650000000000000000000000006044820152606490fd5b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f905f3560e01c90816304d2c5a914612866575080630efa3e9c1461281057806316ccae8b146127d657806325f7bdbe1461245657806327e235e31461241d5780632805fb21146124015780632b7ac3f3146123bc5780632de1edd5146123a057806331530ddf1461239b57806334c73c4c1461239b578063350e8d381461237c5780633b795ad4146120225780633ccfd60b14611f7f578063430a0de414611f3e5780634e66240214611f215780634f76a98e14611ee657806351500b3a14611b8f57806352d472eb14611b5457806355f21eb7146119ba57806368752a81146118d25780637b80d4901461189a5780637ecebe0014611861578063801c479814611844578063820bfda6146118275780638aab1cb7146117e557806393fc246714610e07578063973c876014610dcc578063993b05b214610d76578063bd58199a14610d3b578063bea538e314610d0b578063c0f3f2e914610cef578063c84392e1146107c4578063d0e30db0146107ad578063d3d0b3081461076b578063d40a56631461060b578063f43c9fe1146105d9578063fb1e61ca146101f65763ff9e442d146101c0575f80fd5b346101f35760403660031901126101f3576040602091600435815260078352818120602435825283522054604051908152f35b80fd5b50346101f35760203660031901126101f3576060610200604051610219816129e8565b83815282602082015282604082015283838201528360808201528360a08201528360c08201528360e08201528361010082015283610120820152836101408201528361016082015283610180820152836101a0820152836101c0820152826101e082015201526004358152600360205260408120906040519161029b836129e8565b80546001600160a01b031683526040516102c3816102bc8160018601612e90565b0382612a04565b60208401526040516102dc816102bc8160028601612e90565b604084015260038101546001600160401b038116606085015263ffffffff8160401c16608085015263ffffffff8160601c1660a08501526001600160401b038160801c1660c085015260c01c60e08401526001600160401b03600482015481811661010086015260401c1661012084015260058101546101408401526006810154610160840152600781015461018084015260088101546101a084015260ff60098201541615156101c0840152600a810160405190816020825491828152019185526020852090855b8181106105c357505050906103bf81600b94930382612a04565b6101e0850152016040518082602082945493848152019085526020852092855b8181106105a15750506103f492500382612a04565b6102008301526040519182916020835260018060a01b03825116602084015261044761043160208401516102206040870152610240860190612970565b6040840151858203601f19016060870152612970565b916001600160401b03606082015116608085015263ffffffff60808201511660a085015263ffffffff60a08201511660c08501526001600160401b0360c08201511660e08501526001600160401b0360e0820151166101008501526001600160401b03610100820151166101208501526001600160401b03610120820151166101408501526101408101516101608501526101608101516101808501526101808101516101a08501526101a08101516101c08501526101c081015115156101e08501526101e081015192601f198582030161020086015260208085519283815201940190835b81811061058857505050610200015191601f1984820301610220850152602080845192838152019301915b818110610566575050500390f35b82516001600160a01b0316845285945060209384019390920191600101610558565b825186528796506020958601959092019160010161052d565b84546001600160a01b03168352600194850194869450602090930192016103df565b82548452602090930192600192830192016103a5565b50346101f35760ff60406020926105ef36612890565b9082526008855282822090825284522054166040519015158152f35b50346101f35760603660031901126101f3576024356004356044356001600160401b038111610767576106429036906004016128a6565b91846001600160401b036003610657846130f5565b015460801c16956001600160401b036106708843612994565b169460018601808711610753578861068791612ab3565b5f19810195908611610753578660c09981151580610741575b610725575b506040925060ff939150846106bb918a88612f11565b9785825260046020528282208183526020526106e460018060a01b038484205416828888613099565b9582526006602052828220908252602052818120878252602052205416936040519515158652602086015260408501526060840152608083015260a0820152f35b60ff949550916040939161073893612b8d565b9291865f6106a5565b504361074d8284612ab3565b106106a0565b634e487b7160e01b83526011600452602483fd5b8380fd5b50346101f35760803660031901126101f357606435906001600160a01b03821682036101f35760206107a583604435602435600435613099565b604051908152f35b50806003193601126101f3576107c1613351565b80f35b50346101f35760803660031901126101f3576004356024356107e4612904565b916064356001600160401b038111610ceb576108049036906004016128a6565b909361080f836130f5565b91838752600460205260408720858852602052604087209060018060a01b0382541615610cdc5760038401928354916001600160401b038360801c16986108568a43612994565b996001600160401b0384169a8b1015610ccd57906108889493929160018d9560c01c11610cb7575b5050508787612f11565b15610ca8578387526006602052604087208588526020526040872086885260205260ff604088205416610c99578387526006602052604087208588526020526040872086885260205260408720600260ff19825416179055600181019063ffffffff6108f681845416612a6e565b1663ffffffff19835416178255600684019061093482547f000000000000000000000000000000000000000000000000000000000000000090612ab3565b60638101809111610c855760648a91049360028301908154808711610c7d575b86906109807f000000000000000000000000000000000000000000000000000000000000000083612ab3565b606490049761098e91612aa6565b83558a8a61099c8984612aa6565b9d60088c019e8f908154906109b091612a99565b90553387526001602052604087208a8154906109cb91612a99565b9055600160a01b60019003885416998a946040519283523360208401526040830152606082015260807f6e39200875ca8dd384e747f9c61fc2c9b153e205ec11e9b35ea3994ae57536e091a45463ffffffff167f00000000000000000000000000000000000000000000000000000000000000001115610a49575080f35b7f352838ac3bbff2fb793de87076778078faf357eaa88e2b612792636ccc94f4fd60208b87958c95858d965493610a81858254612a99565b90558682526005855260408083206001600160a01b038b165f90815290875220805460ff1916905582546001600160a01b031916835555805467ffffffffffffffff60a01b19169055600b8a0180548690151580610c59575b610c36575b5050604051908152a454600a810290808204600a1490151715610c22576064900494865496878711610c1a575b610b1e8763ffffffff96979899612aa6565b905585885260096020526040882081895260205286604089205585885260086020526040882081895260205260408820600160ff19825416179055858852600a602052857ff2d4550a3a9615ea5a423c00e6e9c97ed65846bbb07d556f5b659bb407778a08604086818c20610b9582825416612a6e565b90828216831982541617905582519b8c5216998a6020820152a45460601c168311610bc4575b80808080808880f35b610c129260098201600160ff19825416179055827f115db584a6ab4f88c13c3ca9388143d5a488d75568672875db6c6c90d0cceaf0602060018060a01b0385541693604051908152a361313c565b5f8080610bbb565b879650610b0c565b634e487b7160e01b88526011600452602488fd5b610c3f91612a25565b81549060018060a01b039060031b1b191690555f85610adf565b50610c648183612a25565b905460039190911b1c6001600160a01b03161515610ada565b955085610954565b634e487b7160e01b8a52601160045260248afd5b630bdb902160e41b8752600487fd5b633094047360e11b8752600487fd5b83945092610cc4936132be565b905f808061087e565b63a4229fab60e01b8c5260048cfd5b63df90c07d60e01b8852600488fd5b8480fd5b50346101f357806003193601126101f357602060405160408152f35b50346101f35760203660031901126101f35763ffffffff60406020926004358152600a8452205416604051908152f35b50346101f357806003193601126101f35760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b50346101f35760403660031901126101f357602435906001600160a01b03821682036101f35760409060043581526005602052209060018060a01b03165f52602052602060ff60405f2054166040519015158152f35b50346101f357806003193601126101f35760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b5060203660031901126101f3576001600160401b03600435116101f357610180600435360360031901126101f357610e6663ffffffff610e4b60646004350161301e565b1663ffffffff610e5f60846004350161301e565b1690612a99565b63ffffffff610e7960646004350161301e565b161580156117db575b6117af5780610e9b60a46004350160043560040161302f565b90500361177657610eb660c46004350160043560040161302f565b9050151580611757575b61172257610ed2600480350180612e47565b9050158015611709575b6116d9576080610ef6602460043501600435600401612e47565b9050116116a5576001600160401b03610f1360e460043501613064565b16156116745760026001600160401b03610f3261010460043501613064565b16108015611653575b61161f576001600160401b03610f5661012460043501613064565b16156115e657815b8181106115425750610f7a610f97916101446004350135612ab3565b6001600160401b03610f9060e460043501613064565b1690612ab3565b9081340361152c573381526002602052604081208054905f198214610753576001820190556040516020810191468352306040830152336060830152608082015260808152610fe760a082612a04565b51902080825260036020526040822080546001600160a01b03191633178155909190611017600480350180612e47565b906001600160401b03821161143357611040826110376001860154612cfe565b60018601612d4c565b8390601f83116001146114bf5761106e9291859183611447575b50508160011b915f199060031b1c19161790565b60018201555b611088602460043501600435600401612e47565b906001600160401b038211611433576110b1826110a86002860154612cfe565b60028601612d4c565b8390601f8311600114611452576110de92918591836114475750508160011b915f199060031b1c19161790565b60028201555b6110f2604460043501613064565b6001600160401b036003830191166001600160401b031982541617815561111d60646004350161301e565b81549063ffffffff60601b61113660043560840161301e565b60601b1667ffffffffffffffff60801b61115560043561010401613064565b60801b16916001600160c01b031961117260043561012401613064565b60c01b16936bffffffff000000000000000060018060c01b039260401b169077ffffffffffffffffffffffffffffffff00000000000000001916171617171790556111de6001600160401b036111d8816111d161010460043501613064565b1643612994565b16612b34565b91600482016001600160401b0384166001600160401b031982541617815561121361120d60e460043501613064565b85612b52565b67ffffffffffffffff60401b82549160401b169067ffffffffffffffff60401b1916179055610144600435013560058301556101646004350135600683015584600783015561126c60a46004350160043560040161302f565b90600a8401906001600160401b03831161143357600160401b83116114335761129a83835481855584613078565b90835260208320835b83811061141f5750505050600b906112c560c46004350160043560040161302f565b92909301926001600160401b03831161140b57600160401b831161140b576112f283855481875586613078565b9281526020812092815b8381106113e6576020876113ba817faf978f19b17a81bdda17520427dd17827c012773352ed2eb180627713ab38f8d60e08d6001600160401b0363ffffffff818f61134b600480350180612e47565b939081611362602460043501600435600401612e47565b9c9061137260646004350161301e565b9d6113ac61138460846004350161301e565b9561139c61139660e460043501613064565b8a612b52565b9a6040519e8f8181520191612a4e565b8c810360208e015291612a4e565b9b1660408901521660608701521660808501521660a083015260c08201528033940390a3604051908152f35b8135916001600160a01b038316830361076757906020600192019281870155016112fc565b634e487b7160e01b82526041600452602482fd5b6001906020843594019381840155016112a3565b634e487b7160e01b84526041600452602484fd5b013590505f8061105a565b600284939293018552602085209085935b601f19841685106114a7576001945083601f1981161061148e575b505050811b0160028201556110e4565b01355f19600384901b60f8161c191690555f808061147e565b81810135835560209485019460019093019201611463565b600184939293018552602085209085935b601f1984168510611514576001945083601f198116106114fb575b505050811b016001820155611074565b01355f19600384901b60f8161c191690555f80806114eb565b818101358355602094850194600190930192016114d0565b604491630374cb4760e21b825234600452602452fd5b61155660a46004350160043560040161302f565b8210156115d2577f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001908260051b0135101561159357600101610f5e565b60405163a8c278dd60e01b81526020600482015260166024820152751cdb1bdd081c9bdbdd081b9bdd081a5b88199a595b1960521b6044820152606490fd5b634e487b7160e01b84526032600452602484fd5b60405163a8c278dd60e01b815260206004820152601060248201526f70726f6f6650726f626162696c69747960801b6044820152606490fd5b60405163a8c278dd60e01b815260206004820152600b60248201526a1c1c9bdbd994195c9a5bd960aa1b6044820152606490fd5b5060806001600160401b0361166d61010460043501613064565b1611610f3b565b60405163a8c278dd60e01b8152602060048201526008602482015267323ab930ba34b7b760c11b6044820152606490fd5b60405163a8c278dd60e01b815260206004820152600b60248201526a1b585b9a59995cdd10da5960aa1b6044820152606490fd5b60405163a8c278dd60e01b81526020600482015260076024820152661c9bdbdd10da5960ca1b6044820152606490fd5b50608061171a600480350180612e47565b905011610edc565b60405163a8c278dd60e01b815260206004820152600c60248201526b0d0dee6e8e640d8cadccee8d60a31b6044820152606490fd5b508061176d60c46004350160043560040161302f565b90501415610ec0565b60405163a8c278dd60e01b815260206004820152601060248201526f0e6d8dee8a4dedee8e640d8cadccee8d60831b6044820152606490fd5b60405163a8c278dd60e01b81526020600482015260036024820152626b2b6d60e81b6044820152606490fd5b5060408111610e82565b50346101f35760203660031901126101f35760206001600160401b0361181e8160036118126004356130f5565b015460801c1643612994565b16604051908152f35b50346101f357806003193601126101f35760206040516104008152f35b50346101f35760206107a56118583661291a565b929190916132be565b50346101f35760203660031901126101f3576020906040906001600160a01b036118896128d3565b168152600283522054604051908152f35b50346101f35760803660031901126101f35760206118c86118b9612904565b60643590602435600435612f11565b6040519015158152f35b50346101f357604060c0916118e636612890565b908260a085516118f5816129cd565b82815282602082015282878201528260608201528260808201520152825260046020528282209082526020522060405161192e816129cd565b81549163ffffffff60018060a01b038416938484528160208501916001600160401b038160a01c168352604086019060e01c81526001600160401b0382600187015416936060880194855260a0600360028901549860808b01998a52015498019788526040519889525116602088015251166040860152511660608401525160808301525160a0820152f35b50346101f35760203660031901126101f3576119d46128d3565b8160606040516119e3816129b2565b818152816020820152826040820152015260018060a01b0316815280602052604081209060405190611a14826129b2565b604051611a25816102bc8187612e90565b8252600183019283546001600160401b038111611b405760405194611a5060208360051b0187612a04565b81865283526020808420849187015b838310611b1b57505050506020830193845260ff60036002830154926040860193845201541690606084019115158252611aac6040519460208652516080602087015260a0860190612970565b945192601f198587030160408601528351808752602087016020808360051b8a0101960192905b828210611af0578451606089015285511515608089015287870388f35b90919295602080611b0d600193601f198d82030186528a51612970565b980192019201909291611ad3565b600160208192604051611b32816102bc8189612e90565b815201920192019190611a5f565b634e487b7160e01b83526041600452602483fd5b50346101f357806003193601126101f35760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b5060603660031901126101f3576004356001600160401b038111611ee257611bbb9036906004016128a6565b602492919235906001600160401b038211611ede5736602383011215611ede578160040135936001600160401b0385116107675760248301928560051b3660248284010111611eda576044359284158015611ecf575b611ea05760108811611e69573387528660205260408720611c33868383612d91565b60018101805489825580611df1575b50889993995b848110611d4057505090600382866002611c7c95015501600160ff1982541617905560405195606087526060870191612a4e565b84810360208601528181526020808201988201019592879160421982360301905b848410611cdb576040880187905289337f9834b883fe558891cfdb033dba3c2384a9a5a45e821f11ac13ac1fbec6399c398a8c038ba26107c1613351565b909192939497601f19828203018b52883583811215611d3c5784016044602482013591016001600160401b038211611d38578136038113611d3857611d266001936020938493612a4e565b9a019b01940192919099949399611c9d565b8b80fd5b8a80fd5b610400611d5182878c9e989e612e79565b905011611dc557611d63818c8b612e79565b908354600160401b811015611db157806001611d829201865585612a25565b611d9d5791611d949160019493612d91565b01999399611c48565b634e487b7160e01b8d5260048d905260248dfd5b634e487b7160e01b8d52604160045260248dfd5b606460405163a8c278dd60e01b815260206004820152600460248201526330b2323960e11b6044820152fd5b818a5260208a20908101905b818110611e0a5750611c42565b808b611e1860019354612cfe565b80611e26575b505001611dfd565b601f81118414611e3d5750508b81555b8b5f611e1e565b83601f60208486611e58965220920160051c82019101612d36565b808c528b6020812081835555611e36565b60405163a8c278dd60e01b815260206004820152600e60248201526d746f6f206d616e7920616464727360901b6044820152606490fd5b60405163a8c278dd60e01b81526020600482015260066024820152651c19595c925960d21b6044820152606490fd5b506104008511611c11565b8580fd5b8280fd5b5080fd5b50346101f357806003193601126101f35760206040517f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f00000018152f35b50346101f35760206107a5611f353661291a565b92919091612b8d565b50346101f35760603660031901126101f35760ff60406020926004358152600684528181206024358252845281812060443582528452205416604051908152f35b50346101f357806003193601126101f357338152600160205280808080604081205433825260016020528160408120556040518181527f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d560203392a2335af13d1561201d573d611fee81612b72565b90611ffc6040519283612a04565b81528260203d92013e5b1561200e5780f35b6312171d8360e31b8152600490fd5b612006565b5061202c36612890565b612035826130f5565b600a81015482101561236d573384528360205260ff6003604086200154161561235e57600b810182815415159182612338575b82612312575b50506123035761208e6001600160401b03600383015460801c1643612994565b6120a06001600160401b038216612b34565b6001600160401b0380600485015460401c16911610156122f457838552600460205260408520838652602052604085209060018060a01b038254166122e557848652600560209081526040808820335f908152925290205460ff166122d657612107613351565b3386526001602052600660408720549301928354908181106122c1579061212d91612aa6565b33808852600160208181526040808b209490945560a09490941b67ffffffffffffffff60a01b1682178555848101805463ffffffff191690558554600290950194909455868852600583528188205f828152908452829020805460ff1916909417909355925492519283529091839185917fb64baab0b22a825d5dea8a4d082cf90c0fbd6f7c621509b3a4f703a60774685e9190a481835260086020526040832081845260205260ff6040842054166121e4578280f35b8183526009602052604083208184526020526040832054918084526009602052604084208285526020528360408120558084526008602052604084208285526020526040842060ff198154169055808452600a6020526040842063ffffffff81541680156122ad5763ffffffff905f19011663ffffffff19825416179055338452600160205260408420612279848254612a99565b90556040519283527f5291b92030d99de58d77e2fa701538f4c8e0e95872c8877f700e9d917980c4a460203394a45f808280f35b634e487b7160e01b86526011600452602486fd5b632c1f8ef160e21b8852600452602452604486fd5b63f83f5dc760e01b8652600486fd5b63c0a105b160e01b8652600486fd5b63ecdd1c2960e01b8552600485fd5b638ff4f0c960e01b8452600484fd5b61231c9250612a25565b905460039190911b1c6001600160a01b0316331415825f61206e565b91506123448183612a25565b905460039190911b1c6001600160a01b0316151591612068565b63aba4733960e01b8452600484fd5b6310370eb360e01b8452600484fd5b50346101f35760203660031901126101f35760206107a5600435612ac6565b6128e9565b50346101f357806003193601126101f357602060405160198152f35b50346101f357806003193601126101f3576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b50346101f357806003193601126101f3576020604051600a8152f35b50346101f35760203660031901126101f3576020906040906001600160a01b036124456128d3565b168152600183522054604051908152f35b5034612791576080366003190112612791576004356024356044356001600160401b0381116127915761248d9036906004016128a6565b92906064356001600160401b038111612791576124ae9036906004016128a6565b916124b8846130f5565b92845f52600460205260405f20865f5260205260405f209360018060a01b0385541633036127c75761251160038201926001600160401b03845460801c16956001600160401b036125098843612994565b1680976132be565b61251d81868a8a612f11565b156127b857865f52600660205260405f20885f5260205260405f20855f5260205260ff60405f2054166127a9576125579088883392613099565b60408051919691907f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169082016001600160401b03811183821017612795576040526125ae8a600a8601612a25565b90549060031b1c8252876020830152803b15612791576040516370ffa84160e11b8152606060048201529182906125e9606483018e8a612a4e565b905f602484015b60028210612777575050509181805f9403915afa9081612762575b5061261f576309bde33960e01b8a5260048afd5b9160077fdf25fc895b8124b641e35cc82ed7ead20baf42d1ab1b99829b13dc9bdbf2939b969594928b612705612753968b83526006602052604083208d84526020526040832089845260205260408320600160ff19825416179055612687815460e01c612a6e565b81546001600160e01b031660e09190911b6001600160e01b031916178155600584015460048501546003916126e4916126d9906126d3906001600160401b038082169160401c16612aa6565b82612ab3565b985460c01c90612ab3565b9101926126f384548098612aa6565b90508082101561275957508095612a99565b905501612713828254612aa6565b9055338a52600160205260408a2061272c828254612a99565b90556040519485948552602085015260408401526080606084015233976080840191612a4e565b0390a480f35b90508095612a99565b61276f919b505f90612a04565b5f995f61260b565b8251815286945060209283019260019290920191016125f0565b5f80fd5b634e487b7160e01b5f52604160045260245ffd5b630bdb902160e41b5f5260045ffd5b633094047360e11b5f5260045ffd5b63158bead960e01b5f5260045ffd5b34612791575f3660031901126127915760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346127915760203660031901126127915760043561282d816130f5565b9061283781612ac6565b43106128575760098201805460ff191660011790556128559161313c565b005b6326c35cd760e11b5f5260045ffd5b346127915760209061287736612890565b905f526009835260405f20905f52825260405f20548152f35b6040906003190112612791576004359060243590565b9181601f84011215612791578235916001600160401b038311612791576020838186019501011161279157565b600435906001600160a01b038216820361279157565b34612791575f36600319011261279157602060405160808152f35b604435906001600160401b038216820361279157565b6060600319820112612791576004356001600160401b038116810361279157916024356001600160401b03811681036127915791604435906001600160401b0382116127915761296c916004016128a6565b9091565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b811561299e570490565b634e487b7160e01b5f52601260045260245ffd5b608081019081106001600160401b0382111761279557604052565b60c081019081106001600160401b0382111761279557604052565b61022081019081106001600160401b0382111761279557604052565b90601f801991011681019081106001600160401b0382111761279557604052565b8054821015612a3a575f5260205f2001905f90565b634e487b7160e01b5f52603260045260245ffd5b908060209392818452848401375f828201840152601f01601f1916010190565b63ffffffff1663ffffffff8114612a855760010190565b634e487b7160e01b5f52601160045260245ffd5b91908201809211612a8557565b91908203918211612a8557565b81810292918115918404141715612a8557565b612acf906130f5565b6001600160401b03600482015460401c169060018201809211612a8557612b31916001600160401b036003612b0a93015460801c1690612ab3565b7f000000000000000000000000000000000000000000000000000000000000000090612a99565b90565b6001600160401b036001911601906001600160401b038211612a8557565b906001600160401b03809116911601906001600160401b038211612a8557565b6001600160401b03811161279557601f01601f191660200190565b6001600160401b0390939291931691825f5260076020526001600160401b0360405f20941693845f5260205260405f205480612cf65750612bce8385612ab3565b80158015612cec575b612cdd57408015612cdd578115612cdd57612bf182612b72565b612bfe6040519182612a04565b8281526020810190368486011161279157838583375f6020858301015251902003612cb057612c2d81836133c2565b505f5b600d8110612cbf5750612c4660209183856134ab565b91909103612cb0576020810191828211612a8557612c639361339e565b9290359260208110612c9b575b5060405191602083019384526040830152606082015260608152612c95608082612a04565b51902090565b5f939193199060200360031b1b16915f612c70565b63451b7cff60e01b5f5260045ffd5b90612cd6612cd060019285876134ab565b90612a99565b9101612c30565b635008f3a360e01b5f5260045ffd5b5043811015612bd7565b935050505090565b90600182811c92168015612d2c575b6020831014612d1857565b634e487b7160e01b5f52602260045260245ffd5b91607f1691612d0d565b818110612d41575050565b5f8155600101612d36565b9190601f8111612d5b57505050565b612d85925f5260205f20906020601f840160051c83019310612d87575b601f0160051c0190612d36565b565b9091508190612d78565b9092916001600160401b03811161279557612db681612db08454612cfe565b84612d4c565b5f601f8211600114612de8578190612de49394955f926114475750508160011b915f199060031b1c19161790565b9055565b601f19821694835f5260205f20915f5b878110612e2f575083600195969710612e16575b505050811b019055565b01355f19600384901b60f8161c191690555f8080612e0c565b90926020600181928686013581550194019101612df8565b903590601e198136030182121561279157018035906001600160401b0382116127915760200191813603831361279157565b90821015612a3a5761296c9160051b810190612e47565b5f9291815491612e9f83612cfe565b8083529260018116908115612ef45750600114612ebb57505050565b5f9081526020812093945091925b838310612eda575060209250010190565b600181602092949394548385870101520191019190612ec9565b915050602093945060ff929192191683830152151560051b010190565b909291612f1d826130f5565b90825f52600460205260405f20855f5260205260405f205460018060a01b03811615908115612ffe575b50612ff5576001600160401b03600483015491166001600160401b0382168110918215612fde575b50508015612fd0575b612fc8576003015460c01c926001841115612fbf5760405191602083019384526040830152606082015260608152612fb1608082612a04565b519020811561299e57061590565b50505050600190565b505050505f90565b5060ff600982015416612f78565b60401c6001600160401b0316111590505f80612f6f565b50505050505f90565b6001600160401b03915060a01c166001600160401b03821611155f612f47565b3563ffffffff811681036127915790565b903590601e198136030182121561279157018035906001600160401b03821161279157602001918160051b3603831361279157565b356001600160401b03811681036127915790565b9181811061308557505050565b612d85925f5260205f209182019101612d36565b91927f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f00000019360405192602084019485526040840152606083015260018060a01b03166080820152608081526130ee60a082612a04565b5190200690565b5f52600360205260405f209060018060a01b038254161561312d5760ff60098301541661311e57565b630769ce4b60e41b5f5260045ffd5b636d08029760e01b5f5260045ffd5b90600a820154915f925f5b8181106131ce5750506020815f60077f4300a331b9f344ab85bc67c68ffd980bf888445bf31c40699d0627ac6b009967940195816131968854926131916008870194855490612a99565b612a99565b97555560018060a01b038154165f526001825260405f206131b8868254612a99565b9055546040519485526001600160a01b031693a3565b835f52600460205260405f20815f5260205260405f2060018060a01b038154161561325d57908181867f0925856058d2b4500c0afd48d5615391045d5119c892e670f7652a502c7d72b26020600260019701945f86549655878060a01b038154165f5287825260405f20613243878254612a99565b9055878060a01b0390541694604051908152a45b01613147565b5093613282600191855f52600960205260405f20875f5260205260405f205490612a99565b94845f52600960205260405f20815f526020525f6040812055845f52600860205260405f20815f5260205260405f2060ff198154169055613257565b91939290936001600160401b03831694855f52600760205260405f20936001600160401b03821694855f5260205260405f205480613348575090613303939291612b8d565b92805f52600760205260405f20825f526020528360405f20557fbf94f9fa1b540ccce1b168dc2969e9430b214420b77a142fe9b663b91b882ffd6020604051868152a3565b96505050505050565b3415612d8557335f52600160205260405f2061336e348254612a99565b90556040513481527f2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c460203392a2565b90939293848311612791578411612791578101920390565b90821015612a3a570190565b9091905f8315612a3a57813560f81c906080821061349f5760b7821115613489578060c08310613458575060f782111561343c5780613428575060f619810190808211612a855760f519019384600111612a85578411612791576001612b319201613590565b634e487b7160e01b81526011600452602490fd5b9150925080613428575060bf198201918211612a855760019190565b613428575060b619810190808211612a855760b519019384600111612a85578411612791576001612b319201613590565b50607f198101935083119050612a855760019190565b50505090505f90600190565b9291906134b98282866133b6565b3560f81c93608085106135855760b78511156135685760c0851061353c5760f785111561351f5760018301809311612a855760f6198501948511612a8557826135199261351361350c88612b3197612a99565b9783612a99565b9261339e565b90613590565b505060018101809111612a855760bf198301928311612a85579190565b60018301809311612a855760b6198501948511612a8557826135199261351361350c88612b3197612a99565b505060018101809111612a8557607f198301928311612a85579190565b505090915090600190565b5f929160048111612cb057905f915b8083106135ab57505050565b9091936001906135bc8684866133b6565b3560f81c9060081b179401919061359f56fea26469706673582212201dfe86e8e40f8040345ccb74595bec9360cd63ed5b41e008a6548a137615c23364736f6c634300081e0033",
}

// Marketplace is an auto generated Go binding around an Ethereum contract.
type Marketplace struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Marketplace) GetABI() abi.ABI {
	return c.abi
}

// NewMarketplace creates a new instance of Marketplace.
func NewMarketplace() *Marketplace {
	parsed, err := MarketplaceMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Marketplace{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Marketplace) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address verifier_, uint256 slashPercentage_, uint256 rewardPercentage_, uint256 maxMissedProofs_, uint256 finishGrace_) returns()
func (marketplace *Marketplace) PackConstructor(verifier_ common.Address, slashPercentage_ *big.Int, rewardPercentage_ *big.Int, maxMissedProofs_ *big.Int, finishGrace_ *big.Int) []byte {
	enc, err := marketplace.abi.Pack("", verifier_, slashPercentage_, rewardPercentage_, maxMissedProofs_, finishGrace_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackFIELDMODULUS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f76a98e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function FIELD_MODULUS() view returns(uint256)
func (marketplace *Marketplace) PackFIELDMODULUS() []byte {
	enc, err := marketplace.abi.Pack("FIELD_MODULUS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFIELDMODULUS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f76a98e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function FIELD_MODULUS() view returns(uint256)
func (marketplace *Marketplace) TryPackFIELDMODULUS() ([]byte, error) {
	return marketplace.abi.Pack("FIELD_MODULUS")
}

// UnpackFIELDMODULUS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4f76a98e.
//
// Solidity: function FIELD_MODULUS() view returns(uint256)
func (marketplace *Marketplace) UnpackFIELDMODULUS(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("FIELD_MODULUS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXCIDBYTES is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x34c73c4c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_CID_BYTES() view returns(uint256)
func (marketplace *Marketplace) PackMAXCIDBYTES() []byte {
	enc, err := marketplace.abi.Pack("MAX_CID_BYTES")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXCIDBYTES is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x34c73c4c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_CID_BYTES() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXCIDBYTES() ([]byte, error) {
	return marketplace.abi.Pack("MAX_CID_BYTES")
}

// UnpackMAXCIDBYTES is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x34c73c4c.
//
// Solidity: function MAX_CID_BYTES() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXCIDBYTES(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_CID_BYTES", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXPEERBYTES is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x820bfda6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_PEER_BYTES() view returns(uint256)
func (marketplace *Marketplace) PackMAXPEERBYTES() []byte {
	enc, err := marketplace.abi.Pack("MAX_PEER_BYTES")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXPEERBYTES is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x820bfda6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_PEER_BYTES() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXPEERBYTES() ([]byte, error) {
	return marketplace.abi.Pack("MAX_PEER_BYTES")
}

// UnpackMAXPEERBYTES is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x820bfda6.
//
// Solidity: function MAX_PEER_BYTES() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXPEERBYTES(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_PEER_BYTES", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXPROOFPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x31530ddf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_PROOF_PERIOD() view returns(uint256)
func (marketplace *Marketplace) PackMAXPROOFPERIOD() []byte {
	enc, err := marketplace.abi.Pack("MAX_PROOF_PERIOD")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXPROOFPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x31530ddf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_PROOF_PERIOD() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXPROOFPERIOD() ([]byte, error) {
	return marketplace.abi.Pack("MAX_PROOF_PERIOD")
}

// UnpackMAXPROOFPERIOD is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x31530ddf.
//
// Solidity: function MAX_PROOF_PERIOD() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXPROOFPERIOD(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_PROOF_PERIOD", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXREWARDPERCENTAGE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2de1edd5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_REWARD_PERCENTAGE() view returns(uint256)
func (marketplace *Marketplace) PackMAXREWARDPERCENTAGE() []byte {
	enc, err := marketplace.abi.Pack("MAX_REWARD_PERCENTAGE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXREWARDPERCENTAGE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2de1edd5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_REWARD_PERCENTAGE() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXREWARDPERCENTAGE() ([]byte, error) {
	return marketplace.abi.Pack("MAX_REWARD_PERCENTAGE")
}

// UnpackMAXREWARDPERCENTAGE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2de1edd5.
//
// Solidity: function MAX_REWARD_PERCENTAGE() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXREWARDPERCENTAGE(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_REWARD_PERCENTAGE", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXSLOTS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc0f3f2e9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_SLOTS() view returns(uint256)
func (marketplace *Marketplace) PackMAXSLOTS() []byte {
	enc, err := marketplace.abi.Pack("MAX_SLOTS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXSLOTS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc0f3f2e9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_SLOTS() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXSLOTS() ([]byte, error) {
	return marketplace.abi.Pack("MAX_SLOTS")
}

// UnpackMAXSLOTS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc0f3f2e9.
//
// Solidity: function MAX_SLOTS() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXSLOTS(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_SLOTS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackREPAIRREWARDPERCENTAGE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2805fb21.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REPAIR_REWARD_PERCENTAGE() view returns(uint256)
func (marketplace *Marketplace) PackREPAIRREWARDPERCENTAGE() []byte {
	enc, err := marketplace.abi.Pack("REPAIR_REWARD_PERCENTAGE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREPAIRREWARDPERCENTAGE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2805fb21.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REPAIR_REWARD_PERCENTAGE() view returns(uint256)
func (marketplace *Marketplace) TryPackREPAIRREWARDPERCENTAGE() ([]byte, error) {
	return marketplace.abi.Pack("REPAIR_REWARD_PERCENTAGE")
}

// UnpackREPAIRREWARDPERCENTAGE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2805fb21.
//
// Solidity: function REPAIR_REWARD_PERCENTAGE() view returns(uint256)
func (marketplace *Marketplace) UnpackREPAIRREWARDPERCENTAGE(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("REPAIR_REWARD_PERCENTAGE", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBalances is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27e235e3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balances(address ) view returns(uint256)
func (marketplace *Marketplace) PackBalances(arg0 common.Address) []byte {
	enc, err := marketplace.abi.Pack("balances", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalances is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27e235e3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balances(address ) view returns(uint256)
func (marketplace *Marketplace) TryPackBalances(arg0 common.Address) ([]byte, error) {
	return marketplace.abi.Pack("balances", arg0)
}

// UnpackBalances is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x27e235e3.
//
// Solidity: function balances(address ) view returns(uint256)
func (marketplace *Marketplace) UnpackBalances(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("balances", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackChallengeValue is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd3d0b308.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function challengeValue(bytes32 entropy, bytes32 id, uint256 slotIndex, address provider) pure returns(uint256)
func (marketplace *Marketplace) PackChallengeValue(entropy [32]byte, id [32]byte, slotIndex *big.Int, provider common.Address) []byte {
	enc, err := marketplace.abi.Pack("challengeValue", entropy, id, slotIndex, provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChallengeValue is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd3d0b308.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function challengeValue(bytes32 entropy, bytes32 id, uint256 slotIndex, address provider) pure returns(uint256)
func (marketplace *Marketplace) TryPackChallengeValue(entropy [32]byte, id [32]byte, slotIndex *big.Int, provider common.Address) ([]byte, error) {
	return marketplace.abi.Pack("challengeValue", entropy, id, slotIndex, provider)
}

// UnpackChallengeValue is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd3d0b308.
//
// Solidity: function challengeValue(bytes32 entropy, bytes32 id, uint256 slotIndex, address provider) pure returns(uint256)
func (marketplace *Marketplace) UnpackChallengeValue(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("challengeValue", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCreateRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x93fc2467.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createRequest((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p) payable returns(bytes32 id)
func (marketplace *Marketplace) PackCreateRequest(p MarketplaceRequestParams) []byte {
	enc, err := marketplace.abi.Pack("createRequest", p)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x93fc2467.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createRequest((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p) payable returns(bytes32 id)
func (marketplace *Marketplace) TryPackCreateRequest(p MarketplaceRequestParams) ([]byte, error) {
	return marketplace.abi.Pack("createRequest", p)
}

// UnpackCreateRequest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x93fc2467.
//
// Solidity: function createRequest((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p) payable returns(bytes32 id)
func (marketplace *Marketplace) UnpackCreateRequest(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("createRequest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackCurrentPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8aab1cb7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function currentPeriod(bytes32 id) view returns(uint64)
func (marketplace *Marketplace) PackCurrentPeriod(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("currentPeriod", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCurrentPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8aab1cb7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function currentPeriod(bytes32 id) view returns(uint64)
func (marketplace *Marketplace) TryPackCurrentPeriod(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("currentPeriod", id)
}

// UnpackCurrentPeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8aab1cb7.
//
// Solidity: function currentPeriod(bytes32 id) view returns(uint64)
func (marketplace *Marketplace) UnpackCurrentPeriod(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("currentPeriod", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0e30db0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit() payable returns()
func (marketplace *Marketplace) PackDeposit() []byte {
	enc, err := marketplace.abi.Pack("deposit")
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
func (marketplace *Marketplace) TryPackDeposit() ([]byte, error) {
	return marketplace.abi.Pack("deposit")
}

// PackFillSlot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3b795ad4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fillSlot(bytes32 id, uint256 slotIndex) payable returns()
func (marketplace *Marketplace) PackFillSlot(id [32]byte, slotIndex *big.Int) []byte {
	enc, err := marketplace.abi.Pack("fillSlot", id, slotIndex)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFillSlot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3b795ad4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fillSlot(bytes32 id, uint256 slotIndex) payable returns()
func (marketplace *Marketplace) TryPackFillSlot(id [32]byte, slotIndex *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("fillSlot", id, slotIndex)
}

// PackFinishBlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x350e8d38.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function finishBlock(bytes32 id) view returns(uint256)
func (marketplace *Marketplace) PackFinishBlock(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("finishBlock", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFinishBlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x350e8d38.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function finishBlock(bytes32 id) view returns(uint256)
func (marketplace *Marketplace) TryPackFinishBlock(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("finishBlock", id)
}

// UnpackFinishBlock is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x350e8d38.
//
// Solidity: function finishBlock(bytes32 id) view returns(uint256)
func (marketplace *Marketplace) UnpackFinishBlock(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("finishBlock", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackFinishGrace is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x16ccae8b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function finishGrace() view returns(uint256)
func (marketplace *Marketplace) PackFinishGrace() []byte {
	enc, err := marketplace.abi.Pack("finishGrace")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFinishGrace is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x16ccae8b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function finishGrace() view returns(uint256)
func (marketplace *Marketplace) TryPackFinishGrace() ([]byte, error) {
	return marketplace.abi.Pack("finishGrace")
}

// UnpackFinishGrace is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x16ccae8b.
//
// Solidity: function finishGrace() view returns(uint256)
func (marketplace *Marketplace) UnpackFinishGrace(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("finishGrace", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackFinishRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0efa3e9c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function finishRequest(bytes32 id) returns()
func (marketplace *Marketplace) PackFinishRequest(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("finishRequest", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFinishRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0efa3e9c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function finishRequest(bytes32 id) returns()
func (marketplace *Marketplace) TryPackFinishRequest(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("finishRequest", id)
}

// PackGetChallenge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd40a5663.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getChallenge(bytes32 id, uint256 slotIndex, bytes header) view returns(bool required, uint64 period, bytes32 entropy, uint256 challenge, uint256 deadline, uint8 state)
func (marketplace *Marketplace) PackGetChallenge(id [32]byte, slotIndex *big.Int, header []byte) []byte {
	enc, err := marketplace.abi.Pack("getChallenge", id, slotIndex, header)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetChallenge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd40a5663.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getChallenge(bytes32 id, uint256 slotIndex, bytes header) view returns(bool required, uint64 period, bytes32 entropy, uint256 challenge, uint256 deadline, uint8 state)
func (marketplace *Marketplace) TryPackGetChallenge(id [32]byte, slotIndex *big.Int, header []byte) ([]byte, error) {
	return marketplace.abi.Pack("getChallenge", id, slotIndex, header)
}

// GetChallengeOutput serves as a container for the return parameters of contract
// method GetChallenge.
type GetChallengeOutput struct {
	Required  bool
	Period    uint64
	Entropy   [32]byte
	Challenge *big.Int
	Deadline  *big.Int
	State     uint8
}

// UnpackGetChallenge is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd40a5663.
//
// Solidity: function getChallenge(bytes32 id, uint256 slotIndex, bytes header) view returns(bool required, uint64 period, bytes32 entropy, uint256 challenge, uint256 deadline, uint8 state)
func (marketplace *Marketplace) UnpackGetChallenge(data []byte) (GetChallengeOutput, error) {
	out, err := marketplace.abi.Unpack("getChallenge", data)
	outstruct := new(GetChallengeOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Required = *abi.ConvertType(out[0], new(bool)).(*bool)
	outstruct.Period = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.Entropy = *abi.ConvertType(out[2], new([32]byte)).(*[32]byte)
	outstruct.Challenge = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.Deadline = abi.ConvertType(out[4], new(big.Int)).(*big.Int)
	outstruct.State = *abi.ConvertType(out[5], new(uint8)).(*uint8)
	return *outstruct, nil
}

// PackGetProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x55f21eb7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getProvider(address provider) view returns((string,string[],uint256,bool))
func (marketplace *Marketplace) PackGetProvider(provider common.Address) []byte {
	enc, err := marketplace.abi.Pack("getProvider", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x55f21eb7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getProvider(address provider) view returns((string,string[],uint256,bool))
func (marketplace *Marketplace) TryPackGetProvider(provider common.Address) ([]byte, error) {
	return marketplace.abi.Pack("getProvider", provider)
}

// UnpackGetProvider is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x55f21eb7.
//
// Solidity: function getProvider(address provider) view returns((string,string[],uint256,bool))
func (marketplace *Marketplace) UnpackGetProvider(data []byte) (MarketplaceProvider, error) {
	out, err := marketplace.abi.Unpack("getProvider", data)
	if err != nil {
		return *new(MarketplaceProvider), err
	}
	out0 := *abi.ConvertType(out[0], new(MarketplaceProvider)).(*MarketplaceProvider)
	return out0, nil
}

// PackGetRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb1e61ca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRequest(bytes32 id) view returns((address,bytes,bytes,uint64,uint32,uint32,uint64,uint64,uint64,uint64,uint256,uint256,uint256,uint256,bool,uint256[],address[]))
func (marketplace *Marketplace) PackGetRequest(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("getRequest", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb1e61ca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRequest(bytes32 id) view returns((address,bytes,bytes,uint64,uint32,uint32,uint64,uint64,uint64,uint64,uint256,uint256,uint256,uint256,bool,uint256[],address[]))
func (marketplace *Marketplace) TryPackGetRequest(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("getRequest", id)
}

// UnpackGetRequest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfb1e61ca.
//
// Solidity: function getRequest(bytes32 id) view returns((address,bytes,bytes,uint64,uint32,uint32,uint64,uint64,uint64,uint64,uint256,uint256,uint256,uint256,bool,uint256[],address[]))
func (marketplace *Marketplace) UnpackGetRequest(data []byte) (MarketplaceRequest, error) {
	out, err := marketplace.abi.Unpack("getRequest", data)
	if err != nil {
		return *new(MarketplaceRequest), err
	}
	out0 := *abi.ConvertType(out[0], new(MarketplaceRequest)).(*MarketplaceRequest)
	return out0, nil
}

// PackGetSlot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68752a81.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getSlot(bytes32 id, uint256 slotIndex) view returns((address,uint64,uint32,uint32,uint256,uint256))
func (marketplace *Marketplace) PackGetSlot(id [32]byte, slotIndex *big.Int) []byte {
	enc, err := marketplace.abi.Pack("getSlot", id, slotIndex)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetSlot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68752a81.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getSlot(bytes32 id, uint256 slotIndex) view returns((address,uint64,uint32,uint32,uint256,uint256))
func (marketplace *Marketplace) TryPackGetSlot(id [32]byte, slotIndex *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("getSlot", id, slotIndex)
}

// UnpackGetSlot is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x68752a81.
//
// Solidity: function getSlot(bytes32 id, uint256 slotIndex) view returns((address,uint64,uint32,uint32,uint256,uint256))
func (marketplace *Marketplace) UnpackGetSlot(data []byte) (MarketplaceSlot, error) {
	out, err := marketplace.abi.Unpack("getSlot", data)
	if err != nil {
		return *new(MarketplaceSlot), err
	}
	out0 := *abi.ConvertType(out[0], new(MarketplaceSlot)).(*MarketplaceSlot)
	return out0, nil
}

// PackHoldsSlot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x993b05b2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function holdsSlot(bytes32 , address ) view returns(bool)
func (marketplace *Marketplace) PackHoldsSlot(arg0 [32]byte, arg1 common.Address) []byte {
	enc, err := marketplace.abi.Pack("holdsSlot", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHoldsSlot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x993b05b2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function holdsSlot(bytes32 , address ) view returns(bool)
func (marketplace *Marketplace) TryPackHoldsSlot(arg0 [32]byte, arg1 common.Address) ([]byte, error) {
	return marketplace.abi.Pack("holdsSlot", arg0, arg1)
}

// UnpackHoldsSlot is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x993b05b2.
//
// Solidity: function holdsSlot(bytes32 , address ) view returns(bool)
func (marketplace *Marketplace) UnpackHoldsSlot(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("holdsSlot", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsChallenged is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b80d490.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isChallenged(bytes32 id, uint256 slotIndex, uint64 period, bytes32 entropy) view returns(bool)
func (marketplace *Marketplace) PackIsChallenged(id [32]byte, slotIndex *big.Int, period uint64, entropy [32]byte) []byte {
	enc, err := marketplace.abi.Pack("isChallenged", id, slotIndex, period, entropy)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsChallenged is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b80d490.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isChallenged(bytes32 id, uint256 slotIndex, uint64 period, bytes32 entropy) view returns(bool)
func (marketplace *Marketplace) TryPackIsChallenged(id [32]byte, slotIndex *big.Int, period uint64, entropy [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("isChallenged", id, slotIndex, period, entropy)
}

// UnpackIsChallenged is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b80d490.
//
// Solidity: function isChallenged(bytes32 id, uint256 slotIndex, uint64 period, bytes32 entropy) view returns(bool)
func (marketplace *Marketplace) UnpackIsChallenged(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("isChallenged", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLostSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbea538e3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lostSlots(bytes32 ) view returns(uint32)
func (marketplace *Marketplace) PackLostSlots(arg0 [32]byte) []byte {
	enc, err := marketplace.abi.Pack("lostSlots", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLostSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbea538e3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lostSlots(bytes32 ) view returns(uint32)
func (marketplace *Marketplace) TryPackLostSlots(arg0 [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("lostSlots", arg0)
}

// UnpackLostSlots is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbea538e3.
//
// Solidity: function lostSlots(bytes32 ) view returns(uint32)
func (marketplace *Marketplace) UnpackLostSlots(data []byte) (uint32, error) {
	out, err := marketplace.abi.Unpack("lostSlots", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackMarkProofAsMissing is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc84392e1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function markProofAsMissing(bytes32 id, uint256 slotIndex, uint64 period, bytes header) returns()
func (marketplace *Marketplace) PackMarkProofAsMissing(id [32]byte, slotIndex *big.Int, period uint64, header []byte) []byte {
	enc, err := marketplace.abi.Pack("markProofAsMissing", id, slotIndex, period, header)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMarkProofAsMissing is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc84392e1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function markProofAsMissing(bytes32 id, uint256 slotIndex, uint64 period, bytes header) returns()
func (marketplace *Marketplace) TryPackMarkProofAsMissing(id [32]byte, slotIndex *big.Int, period uint64, header []byte) ([]byte, error) {
	return marketplace.abi.Pack("markProofAsMissing", id, slotIndex, period, header)
}

// PackMaxMissedProofs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x973c8760.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxMissedProofs() view returns(uint256)
func (marketplace *Marketplace) PackMaxMissedProofs() []byte {
	enc, err := marketplace.abi.Pack("maxMissedProofs")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxMissedProofs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x973c8760.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxMissedProofs() view returns(uint256)
func (marketplace *Marketplace) TryPackMaxMissedProofs() ([]byte, error) {
	return marketplace.abi.Pack("maxMissedProofs")
}

// UnpackMaxMissedProofs is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x973c8760.
//
// Solidity: function maxMissedProofs() view returns(uint256)
func (marketplace *Marketplace) UnpackMaxMissedProofs(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("maxMissedProofs", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackNonces is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ecebe00.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nonces(address ) view returns(uint256)
func (marketplace *Marketplace) PackNonces(arg0 common.Address) []byte {
	enc, err := marketplace.abi.Pack("nonces", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNonces is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ecebe00.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nonces(address ) view returns(uint256)
func (marketplace *Marketplace) TryPackNonces(arg0 common.Address) ([]byte, error) {
	return marketplace.abi.Pack("nonces", arg0)
}

// UnpackNonces is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7ecebe00.
//
// Solidity: function nonces(address ) view returns(uint256)
func (marketplace *Marketplace) UnpackNonces(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("nonces", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPeriodEntropy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e662402.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function periodEntropy(uint64 proofPeriod, uint64 period, bytes header) view returns(bytes32)
func (marketplace *Marketplace) PackPeriodEntropy(proofPeriod uint64, period uint64, header []byte) []byte {
	enc, err := marketplace.abi.Pack("periodEntropy", proofPeriod, period, header)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPeriodEntropy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e662402.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function periodEntropy(uint64 proofPeriod, uint64 period, bytes header) view returns(bytes32)
func (marketplace *Marketplace) TryPackPeriodEntropy(proofPeriod uint64, period uint64, header []byte) ([]byte, error) {
	return marketplace.abi.Pack("periodEntropy", proofPeriod, period, header)
}

// UnpackPeriodEntropy is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4e662402.
//
// Solidity: function periodEntropy(uint64 proofPeriod, uint64 period, bytes header) view returns(bytes32)
func (marketplace *Marketplace) UnpackPeriodEntropy(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("periodEntropy", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackPeriodState is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x430a0de4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function periodState(bytes32 , uint256 , uint256 ) view returns(uint8)
func (marketplace *Marketplace) PackPeriodState(arg0 [32]byte, arg1 *big.Int, arg2 *big.Int) []byte {
	enc, err := marketplace.abi.Pack("periodState", arg0, arg1, arg2)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPeriodState is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x430a0de4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function periodState(bytes32 , uint256 , uint256 ) view returns(uint8)
func (marketplace *Marketplace) TryPackPeriodState(arg0 [32]byte, arg1 *big.Int, arg2 *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("periodState", arg0, arg1, arg2)
}

// UnpackPeriodState is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x430a0de4.
//
// Solidity: function periodState(bytes32 , uint256 , uint256 ) view returns(uint8)
func (marketplace *Marketplace) UnpackPeriodState(data []byte) (uint8, error) {
	out, err := marketplace.abi.Unpack("periodState", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackRecordEntropy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x801c4798.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordEntropy(uint64 proofPeriod, uint64 period, bytes header) returns(bytes32)
func (marketplace *Marketplace) PackRecordEntropy(proofPeriod uint64, period uint64, header []byte) []byte {
	enc, err := marketplace.abi.Pack("recordEntropy", proofPeriod, period, header)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordEntropy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x801c4798.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordEntropy(uint64 proofPeriod, uint64 period, bytes header) returns(bytes32)
func (marketplace *Marketplace) TryPackRecordEntropy(proofPeriod uint64, period uint64, header []byte) ([]byte, error) {
	return marketplace.abi.Pack("recordEntropy", proofPeriod, period, header)
}

// UnpackRecordEntropy is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x801c4798.
//
// Solidity: function recordEntropy(uint64 proofPeriod, uint64 period, bytes header) returns(bytes32)
func (marketplace *Marketplace) UnpackRecordEntropy(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("recordEntropy", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRecordedEntropy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xff9e442d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordedEntropy(uint256 , uint256 ) view returns(bytes32)
func (marketplace *Marketplace) PackRecordedEntropy(arg0 *big.Int, arg1 *big.Int) []byte {
	enc, err := marketplace.abi.Pack("recordedEntropy", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordedEntropy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xff9e442d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordedEntropy(uint256 , uint256 ) view returns(bytes32)
func (marketplace *Marketplace) TryPackRecordedEntropy(arg0 *big.Int, arg1 *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("recordedEntropy", arg0, arg1)
}

// UnpackRecordedEntropy is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xff9e442d.
//
// Solidity: function recordedEntropy(uint256 , uint256 ) view returns(bytes32)
func (marketplace *Marketplace) UnpackRecordedEntropy(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("recordedEntropy", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRegisterProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51500b3a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerProvider(string peerId, string[] addrs, uint256 price) payable returns()
func (marketplace *Marketplace) PackRegisterProvider(peerId string, addrs []string, price *big.Int) []byte {
	enc, err := marketplace.abi.Pack("registerProvider", peerId, addrs, price)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51500b3a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerProvider(string peerId, string[] addrs, uint256 price) payable returns()
func (marketplace *Marketplace) TryPackRegisterProvider(peerId string, addrs []string, price *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("registerProvider", peerId, addrs, price)
}

// PackRepairOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf43c9fe1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function repairOpen(bytes32 , uint256 ) view returns(bool)
func (marketplace *Marketplace) PackRepairOpen(arg0 [32]byte, arg1 *big.Int) []byte {
	enc, err := marketplace.abi.Pack("repairOpen", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRepairOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf43c9fe1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function repairOpen(bytes32 , uint256 ) view returns(bool)
func (marketplace *Marketplace) TryPackRepairOpen(arg0 [32]byte, arg1 *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("repairOpen", arg0, arg1)
}

// UnpackRepairOpen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf43c9fe1.
//
// Solidity: function repairOpen(bytes32 , uint256 ) view returns(bool)
func (marketplace *Marketplace) UnpackRepairOpen(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("repairOpen", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRepairReward is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x04d2c5a9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function repairReward(bytes32 , uint256 ) view returns(uint256)
func (marketplace *Marketplace) PackRepairReward(arg0 [32]byte, arg1 *big.Int) []byte {
	enc, err := marketplace.abi.Pack("repairReward", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRepairReward is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x04d2c5a9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function repairReward(bytes32 , uint256 ) view returns(uint256)
func (marketplace *Marketplace) TryPackRepairReward(arg0 [32]byte, arg1 *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("repairReward", arg0, arg1)
}

// UnpackRepairReward is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x04d2c5a9.
//
// Solidity: function repairReward(bytes32 , uint256 ) view returns(uint256)
func (marketplace *Marketplace) UnpackRepairReward(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("repairReward", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRewardPercentage is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x52d472eb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rewardPercentage() view returns(uint256)
func (marketplace *Marketplace) PackRewardPercentage() []byte {
	enc, err := marketplace.abi.Pack("rewardPercentage")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRewardPercentage is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x52d472eb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rewardPercentage() view returns(uint256)
func (marketplace *Marketplace) TryPackRewardPercentage() ([]byte, error) {
	return marketplace.abi.Pack("rewardPercentage")
}

// UnpackRewardPercentage is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x52d472eb.
//
// Solidity: function rewardPercentage() view returns(uint256)
func (marketplace *Marketplace) UnpackRewardPercentage(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("rewardPercentage", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSlashPercentage is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd58199a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slashPercentage() view returns(uint256)
func (marketplace *Marketplace) PackSlashPercentage() []byte {
	enc, err := marketplace.abi.Pack("slashPercentage")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlashPercentage is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd58199a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slashPercentage() view returns(uint256)
func (marketplace *Marketplace) TryPackSlashPercentage() ([]byte, error) {
	return marketplace.abi.Pack("slashPercentage")
}

// UnpackSlashPercentage is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbd58199a.
//
// Solidity: function slashPercentage() view returns(uint256)
func (marketplace *Marketplace) UnpackSlashPercentage(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("slashPercentage", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSubmitProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x25f7bdbe.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function submitProof(bytes32 id, uint256 slotIndex, bytes proof, bytes header) returns()
func (marketplace *Marketplace) PackSubmitProof(id [32]byte, slotIndex *big.Int, proof []byte, header []byte) []byte {
	enc, err := marketplace.abi.Pack("submitProof", id, slotIndex, proof, header)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubmitProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x25f7bdbe.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function submitProof(bytes32 id, uint256 slotIndex, bytes proof, bytes header) returns()
func (marketplace *Marketplace) TryPackSubmitProof(id [32]byte, slotIndex *big.Int, proof []byte, header []byte) ([]byte, error) {
	return marketplace.abi.Pack("submitProof", id, slotIndex, proof, header)
}

// PackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifier() view returns(address)
func (marketplace *Marketplace) PackVerifier() []byte {
	enc, err := marketplace.abi.Pack("verifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifier() view returns(address)
func (marketplace *Marketplace) TryPackVerifier() ([]byte, error) {
	return marketplace.abi.Pack("verifier")
}

// UnpackVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2b7ac3f3.
//
// Solidity: function verifier() view returns(address)
func (marketplace *Marketplace) UnpackVerifier(data []byte) (common.Address, error) {
	out, err := marketplace.abi.Unpack("verifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (marketplace *Marketplace) PackWithdraw() []byte {
	enc, err := marketplace.abi.Pack("withdraw")
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
func (marketplace *Marketplace) TryPackWithdraw() ([]byte, error) {
	return marketplace.abi.Pack("withdraw")
}

// MarketplaceCollateralReturned represents a CollateralReturned event raised by the Marketplace contract.
type MarketplaceCollateralReturned struct {
	RequestId [32]byte
	SlotIndex *big.Int
	Provider  common.Address
	Amount    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceCollateralReturnedEventName = "CollateralReturned"

// ContractEventName returns the user-defined event name.
func (MarketplaceCollateralReturned) ContractEventName() string {
	return MarketplaceCollateralReturnedEventName
}

// UnpackCollateralReturnedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CollateralReturned(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 amount)
func (marketplace *Marketplace) UnpackCollateralReturnedEvent(log *types.Log) (*MarketplaceCollateralReturned, error) {
	event := "CollateralReturned"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceCollateralReturned)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceDeposited represents a Deposited event raised by the Marketplace contract.
type MarketplaceDeposited struct {
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const MarketplaceDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (MarketplaceDeposited) ContractEventName() string {
	return MarketplaceDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(address indexed account, uint256 amount)
func (marketplace *Marketplace) UnpackDepositedEvent(log *types.Log) (*MarketplaceDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceDeposited)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceEntropyRecorded represents a EntropyRecorded event raised by the Marketplace contract.
type MarketplaceEntropyRecorded struct {
	ProofPeriod uint64
	Period      uint64
	Entropy     [32]byte
	Raw         *types.Log // Blockchain specific contextual infos
}

const MarketplaceEntropyRecordedEventName = "EntropyRecorded"

// ContractEventName returns the user-defined event name.
func (MarketplaceEntropyRecorded) ContractEventName() string {
	return MarketplaceEntropyRecordedEventName
}

// UnpackEntropyRecordedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EntropyRecorded(uint64 indexed proofPeriod, uint64 indexed period, bytes32 entropy)
func (marketplace *Marketplace) UnpackEntropyRecordedEvent(log *types.Log) (*MarketplaceEntropyRecorded, error) {
	event := "EntropyRecorded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceEntropyRecorded)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceProofMissed represents a ProofMissed event raised by the Marketplace contract.
type MarketplaceProofMissed struct {
	RequestId [32]byte
	SlotIndex *big.Int
	Provider  common.Address
	Period    *big.Int
	Reporter  common.Address
	Slashed   *big.Int
	Reward    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceProofMissedEventName = "ProofMissed"

// ContractEventName returns the user-defined event name.
func (MarketplaceProofMissed) ContractEventName() string {
	return MarketplaceProofMissedEventName
}

// UnpackProofMissedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProofMissed(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 period, address reporter, uint256 slashed, uint256 reward)
func (marketplace *Marketplace) UnpackProofMissedEvent(log *types.Log) (*MarketplaceProofMissed, error) {
	event := "ProofMissed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceProofMissed)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceProofSubmitted represents a ProofSubmitted event raised by the Marketplace contract.
type MarketplaceProofSubmitted struct {
	RequestId [32]byte
	SlotIndex *big.Int
	Provider  common.Address
	Period    *big.Int
	Challenge *big.Int
	Payment   *big.Int
	Proof     []byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceProofSubmittedEventName = "ProofSubmitted"

// ContractEventName returns the user-defined event name.
func (MarketplaceProofSubmitted) ContractEventName() string {
	return MarketplaceProofSubmittedEventName
}

// UnpackProofSubmittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProofSubmitted(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 period, uint256 challenge, uint256 payment, bytes proof)
func (marketplace *Marketplace) UnpackProofSubmittedEvent(log *types.Log) (*MarketplaceProofSubmitted, error) {
	event := "ProofSubmitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceProofSubmitted)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceProviderRegistered represents a ProviderRegistered event raised by the Marketplace contract.
type MarketplaceProviderRegistered struct {
	Provider common.Address
	PeerId   string
	Addrs    []string
	Price    *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const MarketplaceProviderRegisteredEventName = "ProviderRegistered"

// ContractEventName returns the user-defined event name.
func (MarketplaceProviderRegistered) ContractEventName() string {
	return MarketplaceProviderRegisteredEventName
}

// UnpackProviderRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderRegistered(address indexed provider, string peerId, string[] addrs, uint256 price)
func (marketplace *Marketplace) UnpackProviderRegisteredEvent(log *types.Log) (*MarketplaceProviderRegistered, error) {
	event := "ProviderRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceProviderRegistered)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceRequestCreated represents a RequestCreated event raised by the Marketplace contract.
type MarketplaceRequestCreated struct {
	RequestId   [32]byte
	Client      common.Address
	RootCid     []byte
	ManifestCid []byte
	K           uint32
	M           uint32
	StartPeriod uint64
	EndPeriod   uint64
	Escrow      *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const MarketplaceRequestCreatedEventName = "RequestCreated"

// ContractEventName returns the user-defined event name.
func (MarketplaceRequestCreated) ContractEventName() string {
	return MarketplaceRequestCreatedEventName
}

// UnpackRequestCreatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RequestCreated(bytes32 indexed requestId, address indexed client, bytes rootCid, bytes manifestCid, uint32 k, uint32 m, uint64 startPeriod, uint64 endPeriod, uint256 escrow)
func (marketplace *Marketplace) UnpackRequestCreatedEvent(log *types.Log) (*MarketplaceRequestCreated, error) {
	event := "RequestCreated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceRequestCreated)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceRequestFailed represents a RequestFailed event raised by the Marketplace contract.
type MarketplaceRequestFailed struct {
	RequestId [32]byte
	Client    common.Address
	Lost      uint32
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceRequestFailedEventName = "RequestFailed"

// ContractEventName returns the user-defined event name.
func (MarketplaceRequestFailed) ContractEventName() string {
	return MarketplaceRequestFailedEventName
}

// UnpackRequestFailedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RequestFailed(bytes32 indexed requestId, address indexed client, uint32 lost)
func (marketplace *Marketplace) UnpackRequestFailedEvent(log *types.Log) (*MarketplaceRequestFailed, error) {
	event := "RequestFailed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceRequestFailed)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceRequestFinished represents a RequestFinished event raised by the Marketplace contract.
type MarketplaceRequestFinished struct {
	RequestId [32]byte
	Client    common.Address
	Refund    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceRequestFinishedEventName = "RequestFinished"

// ContractEventName returns the user-defined event name.
func (MarketplaceRequestFinished) ContractEventName() string {
	return MarketplaceRequestFinishedEventName
}

// UnpackRequestFinishedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RequestFinished(bytes32 indexed requestId, address indexed client, uint256 refund)
func (marketplace *Marketplace) UnpackRequestFinishedEvent(log *types.Log) (*MarketplaceRequestFinished, error) {
	event := "RequestFinished"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceRequestFinished)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceSlotFilled represents a SlotFilled event raised by the Marketplace contract.
type MarketplaceSlotFilled struct {
	RequestId  [32]byte
	SlotIndex  *big.Int
	Provider   common.Address
	Collateral *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const MarketplaceSlotFilledEventName = "SlotFilled"

// ContractEventName returns the user-defined event name.
func (MarketplaceSlotFilled) ContractEventName() string {
	return MarketplaceSlotFilledEventName
}

// UnpackSlotFilledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SlotFilled(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 collateral)
func (marketplace *Marketplace) UnpackSlotFilledEvent(log *types.Log) (*MarketplaceSlotFilled, error) {
	event := "SlotFilled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceSlotFilled)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceSlotFreed represents a SlotFreed event raised by the Marketplace contract.
type MarketplaceSlotFreed struct {
	RequestId [32]byte
	SlotIndex *big.Int
	Provider  common.Address
	Forfeited *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceSlotFreedEventName = "SlotFreed"

// ContractEventName returns the user-defined event name.
func (MarketplaceSlotFreed) ContractEventName() string {
	return MarketplaceSlotFreedEventName
}

// UnpackSlotFreedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SlotFreed(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 forfeited)
func (marketplace *Marketplace) UnpackSlotFreedEvent(log *types.Log) (*MarketplaceSlotFreed, error) {
	event := "SlotFreed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceSlotFreed)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceSlotRepairOpened represents a SlotRepairOpened event raised by the Marketplace contract.
type MarketplaceSlotRepairOpened struct {
	RequestId      [32]byte
	SlotIndex      *big.Int
	FormerProvider common.Address
	Reward         *big.Int
	Lost           uint32
	Raw            *types.Log // Blockchain specific contextual infos
}

const MarketplaceSlotRepairOpenedEventName = "SlotRepairOpened"

// ContractEventName returns the user-defined event name.
func (MarketplaceSlotRepairOpened) ContractEventName() string {
	return MarketplaceSlotRepairOpenedEventName
}

// UnpackSlotRepairOpenedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SlotRepairOpened(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed formerProvider, uint256 reward, uint32 lost)
func (marketplace *Marketplace) UnpackSlotRepairOpenedEvent(log *types.Log) (*MarketplaceSlotRepairOpened, error) {
	event := "SlotRepairOpened"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceSlotRepairOpened)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceSlotRepaired represents a SlotRepaired event raised by the Marketplace contract.
type MarketplaceSlotRepaired struct {
	RequestId [32]byte
	SlotIndex *big.Int
	Provider  common.Address
	Reward    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceSlotRepairedEventName = "SlotRepaired"

// ContractEventName returns the user-defined event name.
func (MarketplaceSlotRepaired) ContractEventName() string {
	return MarketplaceSlotRepairedEventName
}

// UnpackSlotRepairedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SlotRepaired(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 reward)
func (marketplace *Marketplace) UnpackSlotRepairedEvent(log *types.Log) (*MarketplaceSlotRepaired, error) {
	event := "SlotRepaired"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceSlotRepaired)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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

// MarketplaceWithdrawn represents a Withdrawn event raised by the Marketplace contract.
type MarketplaceWithdrawn struct {
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const MarketplaceWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (MarketplaceWithdrawn) ContractEventName() string {
	return MarketplaceWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount)
func (marketplace *Marketplace) UnpackWithdrawnEvent(log *types.Log) (*MarketplaceWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceWithdrawn)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
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
func (marketplace *Marketplace) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], marketplace.abi.Errors["AlreadyDone"].ID.Bytes()[:4]) {
		return marketplace.UnpackAlreadyDoneError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["AlreadyHoldsSlot"].ID.Bytes()[:4]) {
		return marketplace.UnpackAlreadyHoldsSlotError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["BadHeader"].ID.Bytes()[:4]) {
		return marketplace.UnpackBadHeaderError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["BadSlot"].ID.Bytes()[:4]) {
		return marketplace.UnpackBadSlotError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["EntropyUnavailable"].ID.Bytes()[:4]) {
		return marketplace.UnpackEntropyUnavailableError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["InsufficientCollateral"].ID.Bytes()[:4]) {
		return marketplace.UnpackInsufficientCollateralError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["InvalidParams"].ID.Bytes()[:4]) {
		return marketplace.UnpackInvalidParamsError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["InvalidProof"].ID.Bytes()[:4]) {
		return marketplace.UnpackInvalidProofError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotChallenged"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotChallengedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotHost"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotHostError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotRegistered"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotSlotProvider"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotSlotProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["RequestIsFinished"].ID.Bytes()[:4]) {
		return marketplace.UnpackRequestIsFinishedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["RequestNotEnded"].ID.Bytes()[:4]) {
		return marketplace.UnpackRequestNotEndedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["SlotNotFilled"].ID.Bytes()[:4]) {
		return marketplace.UnpackSlotNotFilledError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["SlotTaken"].ID.Bytes()[:4]) {
		return marketplace.UnpackSlotTakenError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["TooLate"].ID.Bytes()[:4]) {
		return marketplace.UnpackTooLateError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return marketplace.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["UnknownRequest"].ID.Bytes()[:4]) {
		return marketplace.UnpackUnknownRequestError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["WindowOpen"].ID.Bytes()[:4]) {
		return marketplace.UnpackWindowOpenError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["WrongPayment"].ID.Bytes()[:4]) {
		return marketplace.UnpackWrongPaymentError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// MarketplaceAlreadyDone represents a AlreadyDone error raised by the Marketplace contract.
type MarketplaceAlreadyDone struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyDone()
func MarketplaceAlreadyDoneErrorID() common.Hash {
	return common.HexToHash("0xbdb90210f52d8f68ab9dd7668196c96250dc1b15d2e106baa5a9ac4ab6ea0b0a")
}

// UnpackAlreadyDoneError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyDone()
func (marketplace *Marketplace) UnpackAlreadyDoneError(raw []byte) (*MarketplaceAlreadyDone, error) {
	out := new(MarketplaceAlreadyDone)
	if err := marketplace.abi.UnpackIntoInterface(out, "AlreadyDone", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceAlreadyHoldsSlot represents a AlreadyHoldsSlot error raised by the Marketplace contract.
type MarketplaceAlreadyHoldsSlot struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyHoldsSlot()
func MarketplaceAlreadyHoldsSlotErrorID() common.Hash {
	return common.HexToHash("0xf83f5dc783c2e794be77607972b3b336b7c4a16035886866ee12af68881199e9")
}

// UnpackAlreadyHoldsSlotError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyHoldsSlot()
func (marketplace *Marketplace) UnpackAlreadyHoldsSlotError(raw []byte) (*MarketplaceAlreadyHoldsSlot, error) {
	out := new(MarketplaceAlreadyHoldsSlot)
	if err := marketplace.abi.UnpackIntoInterface(out, "AlreadyHoldsSlot", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceBadHeader represents a BadHeader error raised by the Marketplace contract.
type MarketplaceBadHeader struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadHeader()
func MarketplaceBadHeaderErrorID() common.Hash {
	return common.HexToHash("0x451b7cffd5afdd96a51fe8544f5ec6ffb29228bad9c3d25b5d9e4bcb05191f5c")
}

// UnpackBadHeaderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadHeader()
func (marketplace *Marketplace) UnpackBadHeaderError(raw []byte) (*MarketplaceBadHeader, error) {
	out := new(MarketplaceBadHeader)
	if err := marketplace.abi.UnpackIntoInterface(out, "BadHeader", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceBadSlot represents a BadSlot error raised by the Marketplace contract.
type MarketplaceBadSlot struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSlot()
func MarketplaceBadSlotErrorID() common.Hash {
	return common.HexToHash("0x10370eb3dd1548743416cb0ab10267707ba610c67457fac1460ae154b9851f1b")
}

// UnpackBadSlotError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSlot()
func (marketplace *Marketplace) UnpackBadSlotError(raw []byte) (*MarketplaceBadSlot, error) {
	out := new(MarketplaceBadSlot)
	if err := marketplace.abi.UnpackIntoInterface(out, "BadSlot", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceEntropyUnavailable represents a EntropyUnavailable error raised by the Marketplace contract.
type MarketplaceEntropyUnavailable struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EntropyUnavailable()
func MarketplaceEntropyUnavailableErrorID() common.Hash {
	return common.HexToHash("0x5008f3a358e2b990cf28359f260092ba66b6e8b250d145f42cc843a41e9e2c77")
}

// UnpackEntropyUnavailableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EntropyUnavailable()
func (marketplace *Marketplace) UnpackEntropyUnavailableError(raw []byte) (*MarketplaceEntropyUnavailable, error) {
	out := new(MarketplaceEntropyUnavailable)
	if err := marketplace.abi.UnpackIntoInterface(out, "EntropyUnavailable", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceInsufficientCollateral represents a InsufficientCollateral error raised by the Marketplace contract.
type MarketplaceInsufficientCollateral struct {
	Have *big.Int
	Need *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientCollateral(uint256 have, uint256 need)
func MarketplaceInsufficientCollateralErrorID() common.Hash {
	return common.HexToHash("0xb07e3bc4c23a2d5a3367eec63320a439a69fa5b14b5619ba643e23b3ab6ef805")
}

// UnpackInsufficientCollateralError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientCollateral(uint256 have, uint256 need)
func (marketplace *Marketplace) UnpackInsufficientCollateralError(raw []byte) (*MarketplaceInsufficientCollateral, error) {
	out := new(MarketplaceInsufficientCollateral)
	if err := marketplace.abi.UnpackIntoInterface(out, "InsufficientCollateral", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceInvalidParams represents a InvalidParams error raised by the Marketplace contract.
type MarketplaceInvalidParams struct {
	Reason string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidParams(string reason)
func MarketplaceInvalidParamsErrorID() common.Hash {
	return common.HexToHash("0xa8c278dd678025fcd1ba899b5c9701b4f3cde35c26cff3abbdc63ff5ceeeb107")
}

// UnpackInvalidParamsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidParams(string reason)
func (marketplace *Marketplace) UnpackInvalidParamsError(raw []byte) (*MarketplaceInvalidParams, error) {
	out := new(MarketplaceInvalidParams)
	if err := marketplace.abi.UnpackIntoInterface(out, "InvalidParams", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceInvalidProof represents a InvalidProof error raised by the Marketplace contract.
type MarketplaceInvalidProof struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidProof()
func MarketplaceInvalidProofErrorID() common.Hash {
	return common.HexToHash("0x09bde339c6b182be216ee7ef8ccff6338c6ef7993445216112ae575c5438fd27")
}

// UnpackInvalidProofError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidProof()
func (marketplace *Marketplace) UnpackInvalidProofError(raw []byte) (*MarketplaceInvalidProof, error) {
	out := new(MarketplaceInvalidProof)
	if err := marketplace.abi.UnpackIntoInterface(out, "InvalidProof", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotChallenged represents a NotChallenged error raised by the Marketplace contract.
type MarketplaceNotChallenged struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotChallenged()
func MarketplaceNotChallengedErrorID() common.Hash {
	return common.HexToHash("0x612808e6cb5563fc8e0b60665979a3a2664c5910aad600c8064664599a588f61")
}

// UnpackNotChallengedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotChallenged()
func (marketplace *Marketplace) UnpackNotChallengedError(raw []byte) (*MarketplaceNotChallenged, error) {
	out := new(MarketplaceNotChallenged)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotChallenged", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotHost represents a NotHost error raised by the Marketplace contract.
type MarketplaceNotHost struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotHost()
func MarketplaceNotHostErrorID() common.Hash {
	return common.HexToHash("0x8ff4f0c9d365ea8f5db785219ca20bce18bec8dc9da2b6d9281d4fd5f28ac768")
}

// UnpackNotHostError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotHost()
func (marketplace *Marketplace) UnpackNotHostError(raw []byte) (*MarketplaceNotHost, error) {
	out := new(MarketplaceNotHost)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotHost", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotRegistered represents a NotRegistered error raised by the Marketplace contract.
type MarketplaceNotRegistered struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRegistered()
func MarketplaceNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0xaba47339dbaad712368e6665e6e6eade636ab60e9b7dba037407409b19d7a053")
}

// UnpackNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRegistered()
func (marketplace *Marketplace) UnpackNotRegisteredError(raw []byte) (*MarketplaceNotRegistered, error) {
	out := new(MarketplaceNotRegistered)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotSlotProvider represents a NotSlotProvider error raised by the Marketplace contract.
type MarketplaceNotSlotProvider struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotSlotProvider()
func MarketplaceNotSlotProviderErrorID() common.Hash {
	return common.HexToHash("0x158bead9ac4b3a2573471b56b721ea0d88207bc3daf214dae473eda0932445ea")
}

// UnpackNotSlotProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotSlotProvider()
func (marketplace *Marketplace) UnpackNotSlotProviderError(raw []byte) (*MarketplaceNotSlotProvider, error) {
	out := new(MarketplaceNotSlotProvider)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotSlotProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceRequestIsFinished represents a RequestIsFinished error raised by the Marketplace contract.
type MarketplaceRequestIsFinished struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RequestIsFinished()
func MarketplaceRequestIsFinishedErrorID() common.Hash {
	return common.HexToHash("0x769ce4b04f8d4ef6da06b372ad05887159d060a677859b05b1f370cfcb7aa6a1")
}

// UnpackRequestIsFinishedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RequestIsFinished()
func (marketplace *Marketplace) UnpackRequestIsFinishedError(raw []byte) (*MarketplaceRequestIsFinished, error) {
	out := new(MarketplaceRequestIsFinished)
	if err := marketplace.abi.UnpackIntoInterface(out, "RequestIsFinished", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceRequestNotEnded represents a RequestNotEnded error raised by the Marketplace contract.
type MarketplaceRequestNotEnded struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RequestNotEnded()
func MarketplaceRequestNotEndedErrorID() common.Hash {
	return common.HexToHash("0x4d86b9aef3fec11b0137e672c3336465a9a2731b5512cf768e83897f21b6980c")
}

// UnpackRequestNotEndedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RequestNotEnded()
func (marketplace *Marketplace) UnpackRequestNotEndedError(raw []byte) (*MarketplaceRequestNotEnded, error) {
	out := new(MarketplaceRequestNotEnded)
	if err := marketplace.abi.UnpackIntoInterface(out, "RequestNotEnded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceSlotNotFilled represents a SlotNotFilled error raised by the Marketplace contract.
type MarketplaceSlotNotFilled struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SlotNotFilled()
func MarketplaceSlotNotFilledErrorID() common.Hash {
	return common.HexToHash("0xdf90c07d56a0aff2aea0e90ab0b62957e33e66f0fe0fa0076c5bde949d313ec7")
}

// UnpackSlotNotFilledError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SlotNotFilled()
func (marketplace *Marketplace) UnpackSlotNotFilledError(raw []byte) (*MarketplaceSlotNotFilled, error) {
	out := new(MarketplaceSlotNotFilled)
	if err := marketplace.abi.UnpackIntoInterface(out, "SlotNotFilled", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceSlotTaken represents a SlotTaken error raised by the Marketplace contract.
type MarketplaceSlotTaken struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SlotTaken()
func MarketplaceSlotTakenErrorID() common.Hash {
	return common.HexToHash("0xc0a105b1edc6ce731e746c6313c51289843862f2a6e64221e4b498319338fd67")
}

// UnpackSlotTakenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SlotTaken()
func (marketplace *Marketplace) UnpackSlotTakenError(raw []byte) (*MarketplaceSlotTaken, error) {
	out := new(MarketplaceSlotTaken)
	if err := marketplace.abi.UnpackIntoInterface(out, "SlotTaken", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceTooLate represents a TooLate error raised by the Marketplace contract.
type MarketplaceTooLate struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooLate()
func MarketplaceTooLateErrorID() common.Hash {
	return common.HexToHash("0xecdd1c29e1637c8bfa8cc1f1073ba3a2f674b640f167e7c16246364c720ada92")
}

// UnpackTooLateError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooLate()
func (marketplace *Marketplace) UnpackTooLateError(raw []byte) (*MarketplaceTooLate, error) {
	out := new(MarketplaceTooLate)
	if err := marketplace.abi.UnpackIntoInterface(out, "TooLate", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceTransferFailed represents a TransferFailed error raised by the Marketplace contract.
type MarketplaceTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func MarketplaceTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (marketplace *Marketplace) UnpackTransferFailedError(raw []byte) (*MarketplaceTransferFailed, error) {
	out := new(MarketplaceTransferFailed)
	if err := marketplace.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceUnknownRequest represents a UnknownRequest error raised by the Marketplace contract.
type MarketplaceUnknownRequest struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownRequest()
func MarketplaceUnknownRequestErrorID() common.Hash {
	return common.HexToHash("0x6d080297e5445bdc9bc11ef22a5fe0978cf1613ad09e7178b40b758b5ff568ad")
}

// UnpackUnknownRequestError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownRequest()
func (marketplace *Marketplace) UnpackUnknownRequestError(raw []byte) (*MarketplaceUnknownRequest, error) {
	out := new(MarketplaceUnknownRequest)
	if err := marketplace.abi.UnpackIntoInterface(out, "UnknownRequest", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceWindowOpen represents a WindowOpen error raised by the Marketplace contract.
type MarketplaceWindowOpen struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WindowOpen()
func MarketplaceWindowOpenErrorID() common.Hash {
	return common.HexToHash("0xa4229fab2c63162188a569e84dcfbf41d7cf81ba05e0d5c679989788a36b9f5d")
}

// UnpackWindowOpenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WindowOpen()
func (marketplace *Marketplace) UnpackWindowOpenError(raw []byte) (*MarketplaceWindowOpen, error) {
	out := new(MarketplaceWindowOpen)
	if err := marketplace.abi.UnpackIntoInterface(out, "WindowOpen", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceWrongPayment represents a WrongPayment error raised by the Marketplace contract.
type MarketplaceWrongPayment struct {
	Sent *big.Int
	Need *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongPayment(uint256 sent, uint256 need)
func MarketplaceWrongPaymentErrorID() common.Hash {
	return common.HexToHash("0x0dd32d1c3ef0af2f42e38a7f633c5c154da0aa1d3a58e8dcd04bcd6fb310ac9d")
}

// UnpackWrongPaymentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongPayment(uint256 sent, uint256 need)
func (marketplace *Marketplace) UnpackWrongPaymentError(raw []byte) (*MarketplaceWrongPayment, error) {
	out := new(MarketplaceWrongPayment)
	if err := marketplace.abi.UnpackIntoInterface(out, "WrongPayment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

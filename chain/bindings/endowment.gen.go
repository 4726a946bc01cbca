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

// EndowmentDeal is an auto generated low-level Go binding around an user-defined struct.
type EndowmentDeal struct {
	Owner       common.Address
	Created     uint64
	TermPeriods uint64
	Terms       uint64
	DeclinePpm  uint32
	Exhausted   bool
	BasePrice   *big.Int
	Balance     *big.Int
	Spent       *big.Int
	Refunded    *big.Int
	Current     [32]byte
}

// IStorageMarketRequestParams is an auto generated low-level Go binding around an user-defined struct.
type IStorageMarketRequestParams struct {
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

// EndowmentMetaData contains all meta data concerning the Endowment contract.
var EndowmentMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIStorageMarket\",\"name\":\"market_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"blocksPerYear_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"Exhausted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"InvalidParams\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"finishBlock\",\"type\":\"uint256\"}],\"name\":\"TermNotOver\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"UnknownDeal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"need\",\"type\":\"uint256\"}],\"name\":\"WrongPayment\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"endowment\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"required\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"}],\"name\":\"DealCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"DealExhausted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refund\",\"type\":\"uint256\"}],\"name\":\"TermSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"term\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"periods\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"}],\"name\":\"TermStarted\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_DECLINE_PPM\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIN_DECLINE_PPM\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"blocksPerYear\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"manifestCid\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"k\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"m\",\"type\":\"uint32\"},{\"internalType\":\"uint256[]\",\"name\":\"slotRoots\",\"type\":\"uint256[]\"},{\"internalType\":\"address[]\",\"name\":\"hosts\",\"type\":\"address[]\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofProbability\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"internalType\":\"structIStorageMarket.RequestParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"}],\"name\":\"create\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"dealOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"getDeal\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"created\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"termPeriods\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"terms\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"exhausted\",\"type\":\"bool\"},{\"internalType\":\"uint256\",\"name\":\"basePrice\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"spent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"current\",\"type\":\"bytes32\"}],\"internalType\":\"structEndowment.Deal\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"market\",\"outputs\":[{\"internalType\":\"contractIStorageMarket\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nonce\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"priceAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"renew\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"manifestCid\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"k\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"m\",\"type\":\"uint32\"},{\"internalType\":\"uint256[]\",\"name\":\"slotRoots\",\"type\":\"uint256[]\"},{\"internalType\":\"address[]\",\"name\":\"hosts\",\"type\":\"address[]\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofProbability\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"internalType\":\"structIStorageMarket.RequestParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"}],\"name\":\"required\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unattributed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "Endowment",
	Bin: "0x60c03461010e57601f6118c538819003918201601f19168301916001600160401b0383118484101761011257808492604094855283398101031261010e5780516001600160a01b0381169182820361010e5760200151916001600160401b0383169081840361010e5715908115610105575b506100bf5760805260a05260405161179e90816101278239608051818181601c015281816101eb015281816104aa015261157f015260a05181818161015e01528181610f9001526110740152f35b60405163a8c278dd60e01b815260206004820152601960248201527f6d61726b6574206f7220626c6f636b73207065722079656172000000000000006044820152606490fd5b9050155f610071565b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610092575b50361561001a575f80fd5b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316330361004c57005b60405163a8c278dd60e01b815260206004820152601d60248201527f7061796d656e747320636f6d652066726f6d20746865206d61726b65740000006044820152606490fd5b5f905f3560e01c90816311df013a14610d8c575080631efc0f7414610d6f578063310ef06614610d455780633e5cb13d146106b957806351a6fad51461051b57806376af31c5146105025780637ccd4f7c146104d957806380f55605146104955780638e32762d1461019e578063a314772a14610182578063a385fb961461013e5763affed0e00361000f573461013b578060031936011261013b576020600254604051908152f35b80fd5b503461013b578060031936011261013b5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b503461013b578060031936011261013b57602060405160648152f35b50346103d55760203660031901126103d5576004356101bc8161173d565b9060ff600183015460a01c16610486576006820180546040516306a1d1a760e31b8152600481018290529193917f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169190602081602481865afa908115610437575f91610454575b5080431061044257506040516327e235e360e01b815230600482015290602082602481865afa918215610437575f92610403575b50823b156103d557604051906303be8fa760e21b825260048201525f8160248183875af16103ee575b506040516327e235e360e01b815230600482015286602082602481875afa80156103e157839082906103a5575b6102c192935061102e565b926102cc8484610f39565b610353575b50507f0c5842c4bc01f1d2169d0b27632ecd6c8352887a0057a2325c73e76d24774a4f6020610350966103078794600454610f39565b60045560038601610319868254610f39565b90556005860161032a868254610f39565b90555493604051908152a360405191610344602084610e08565b8483525f368137611227565b80f35b803b156103a157818091600460405180948193633ccfd60b60e01b83525af1801561039657156102d1578161038791610e08565b61039257855f6102d1565b8580fd5b6040513d84823e3d90fd5b5080fd5b5050506020813d6020116103d9575b816103c160209383610e08565b810103126103d557518690819083906102b6565b5f80fd5b3d91506103b4565b50604051903d90823e3d90fd5b6103fb9196505f90610e08565b5f945f610289565b9091506020813d60201161042f575b8161041f60209383610e08565b810103126103d55751905f610260565b3d9150610412565b6040513d5f823e3d90fd5b63082bf85360e01b5f5260045260245ffd5b90506020813d60201161047e575b8161046f60209383610e08565b810103126103d557515f61022c565b3d9150610462565b636f3d6c4f60e01b5f5260045ffd5b346103d5575f3660031901126103d5576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346103d55760403660031901126103d55760206104fa60243560043561103b565b604051908152f35b346103d55760206104fa61051536610da7565b90610f64565b346103d55760203660031901126103d55760405161053881610dec565b5f8152602081015f9052604081015f9052606081015f9052608081015f905260a081015f905260c081015f905260e081015f905261010081015f905261012081015f9052610140015f905260043561058f9061173d565b60405161059b81610dec565b815491600160a01b60019003831692838352602083019060a01c6001600160401b03168152600182015460408401906001600160401b038116825260608501908060401c6001600160401b03168252608086018160801c63ffffffff16815260a087019160a01c60ff161515825260028601549260c0880193845260038701549460e089019586526004880154966101008a019788526005890154986101208b01998a52600601549961014001998a526040519a8b52516001600160401b031660208b0152516001600160401b031660408a0152516001600160401b031660608901525163ffffffff16608088015251151560a08701525160c08601525160e085015251610100840152516101208301525161014082015261016090f35b6106c236610da7565b9063ffffffff821690606482108015610d39575b610d0657610140810135928315610ccf576106f18183610f64565b91823410610cb8576002545f198114610ca45760018101600255604051602081019146835230604083015233606083015260808201526080815261073660a082610e08565b5190205f81815260208190526040902080546001600160e01b0319163367ffffffffffffffff60a01b1916174360a01b67ffffffffffffffff60a01b1617815594909360e083019390919061078a85610e29565b6001888101805473ffffffff0000000000000000ffffffffffffffff19166001600160401b039093169290921760809390931b63ffffffff60801b16929092179055600287018890553460038801555f868152602091909152604090206107f18480610e3d565b906001600160401b038211610b0757819061080c8454610e6f565b601f8111610c74575b505f90601f8311600114610c0d575f92610c02575b50508160011b915f199060031b1c19161781555b6001810161084f6020860186610e3d565b906001600160401b038211610b0757819061086a8454610e6f565b601f8111610bc7575b505f90601f8311600114610b60575f92610b55575b50508160011b915f199060031b1c19161790555b600281016001600160401b036108b460408701610e29565b166001600160401b03198254161781556108d060608601610ebd565b81546bffffffff000000000000000063ffffffff60601b6108f360808a01610ebd565b60601b169260401b169067ffffffffffffffff60401b1916171790556003810161092060a0860186610ece565b91906001600160401b038311610b0757600160401b8311610b075761094a83835481855584610f16565b905f5260205f205f5b838110610b415750505050600481019760c08501956109728787610ece565b906001600160401b038211610b0757600160401b8211610b075761099c828d805490828155610f16565b9a5f5260205f209a5f905b828210610b1b57505050610a98979899506001600160401b036109cd6005850192610e29565b166001600160401b0319825416178155610a1a6109ed6101008801610e29565b82546fffffffffffffffff0000000000000000191660409190911b67ffffffffffffffff60401b16178255565b610a276101208701610e29565b8154906001600160401b0360801b9060801b16906001600160401b0360801b1916179055600682015560076101608501359101556040519134835260208301526040820152847fdddcbd8d3a160012cc4efa75fb29f5603ac91f66bfb182b88c8ca34ea2f4693960603393a3610ece565b92906001600160401b038411610b07578360051b906020820194610abf6040519687610e08565b855260208501918101903682116103d557915b818310610ae7576020856104fa888783611227565b82356001600160a01b03811681036103d557815260209283019201610ad2565b634e487b7160e01b5f52604160045260245ffd5b8035916001600160a01b03831683036103d5578d928160206001940194015501906109a7565b600190602084359401938184015501610953565b013590508b80610888565b909150601f19831691845f5260205f20925f5b818110610baf5750908460019594939210610b96575b505050811b01905561089c565b01355f19600384901b60f8161c191690558b8080610b89565b91936020600181928787013581550195019201610b73565b610bf290855f5260205f20601f850160051c81019160208610610bf8575b601f0160051c0190610ea7565b8c610873565b9091508190610be5565b013590508a8061082a565b909150601f19831691845f5260205f20925f5b818110610c5c5750908460019594939210610c43575b505050811b01815561083e565b01355f19600384901b60f8161c191690558a8080610c36565b91936020600181928787013581550195019201610c20565b610c9e90855f5260205f20601f850160051c81019160208610610bf857601f0160051c0190610ea7565b8b610815565b634e487b7160e01b5f52601160045260245ffd5b82630374cb4760e21b5f523460045260245260445ffd5b60405163a8c278dd60e01b815260206004820152600e60248201526d1c1c9a58d954195c94195c9a5bd960921b6044820152606490fd5b60405163a8c278dd60e01b815260206004820152600a6024820152696465636c696e6550706d60b01b6044820152606490fd5b506207a12082116106d6565b346103d55760203660031901126103d5576004355f526003602052602060405f2054604051908152f35b346103d5575f3660031901126103d5576020600454604051908152f35b346103d5575f3660031901126103d557806207a12060209252f35b60406003198201126103d557600435906001600160401b0382116103d5576101809082900360031901126103d5576004019060243563ffffffff811681036103d55790565b61016081019081106001600160401b03821117610b0757604052565b90601f801991011681019081106001600160401b03821117610b0757604052565b356001600160401b03811681036103d55790565b903590601e19813603018212156103d557018035906001600160401b0382116103d5576020019181360383136103d557565b90600182811c92168015610e9d575b6020831014610e8957565b634e487b7160e01b5f52602260045260245ffd5b91607f1691610e7e565b818110610eb2575050565b5f8155600101610ea7565b3563ffffffff811681036103d55790565b903590601e19813603018212156103d557018035906001600160401b0382116103d557602001918160051b360383136103d557565b81810292918115918404141715610ca457565b91818110610f2357505050565b610f37925f5260205f209182019101610ea7565b565b91908201809211610ca457565b8115610f50570490565b634e487b7160e01b5f52601260045260245ffd5b6001600160401b03610f796101008301610e29565b16908115610f50576001600160401b03610ffb92817f0000000000000000000000000000000000000000000000000000000000000000160416908115611025575b80610140610fee63ffffffff610fd56060610ff69601610ebd565b1663ffffffff610fe760808601610ebd565b1690610f39565b910135610f03565b610f03565b620f4240810290808204620f42401490151715610ca45763ffffffff611022921690610f46565b90565b60019150610fba565b91908203918211610ca457565b6110449061173d565b906001600160401b03825460a01c16908181115f1461115c5761109a9161106a9161102e565b6001600160401b037f00000000000000000000000000000000000000000000000000000000000000001690610f46565b905b63ffffffff6001600283015492015460801c169182620f42400392620f42408411610ca45764e8d4a51000840293840464e8d4a510001490620f4240141715610ca457670de0b6b3a764000092815b611110575050670de0b6b3a76400009161110491610f03565b04806110225750600190565b60018083161461113a575b61112e81670de0b6b3a764000092610f03565b049060011c90816110eb565b9261112e670de0b6b3a7640000611152868294610f03565b049491505061111b565b50505f9061109c565b9060405191825f82549261117884610e6f565b80845293600181169081156111e1575060011461119d575b50610f3792500383610e08565b90505f9291925260205f20905f915b8183106111c5575050906020610f37928201015f611190565b60209193508060019154838589010152019101909184926111ac565b905060209250610f3794915060ff191682840152151560051b8201015f611190565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b9091815f52600160205260405f20906040519161018083018381106001600160401b03821117610b075760405261125d81611165565b835261126b60018201611165565b602084015263ffffffff60028201546001600160401b0381166040860152818160401c16606086015260601c16608084015260038101604051808260208294549384815201905f5260205f20925f5b8181106117245750506112cf92500382610e08565b60a0840152600481016040519081602082549182815201915f5260205f20905f5b81811061170557505050918161130e60079361138d96950382610e08565b60c08601526001600160401b03600582015481811660e0880152818160401c1661010088015260801c166101208601526006810154610140860152015461016084015261137063ffffffff60608501511663ffffffff60808601511690610f39565b9061137b438661103b565b908161014086015260c0850152610f03565b9060018401546001600160401b038116926113a88482610f03565b9160038701548093116116ea575b6001600160401b038516156116a057506113ec6113f3916001600160401b03861660e08601526001600160401b03861690610f03565b809261102e565b600386015560048501611407828254610f39565b90556001600160401b03600186015460401c166001600160401b038114610ca457600161145b9101600187019067ffffffffffffffff60401b82549160401b169067ffffffffffffffff60401b1916179055565b604051926393fc246760e01b845260206004850152836114a261148c855161018060248501526101a4840190611203565b6020860151838203602319016044850152611203565b6001600160401b03604086015116606483015263ffffffff606086015116608483015263ffffffff60808601511660a483015260a0850151906023198382030160c4840152602080835192838152019201905f5b8181106116875750505060c0850151906023198382030160e4840152602080835192838152019201905f5b8181106116655750505060e08501516001600160401b039081166101048401526101008601518116610124840152610120860151166101448301526101408501516101648301526101608501516101848301526020919081900381857f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165af1938415610437575f94611626575b50906001600160401b03608093926101408260017f41a76cfec55131755c059df7d900b36dde2b219e4f1f6fa2975a1fea44aff7f09860068c01908082555f5260036020528a60405f2055549a015460401c1694015160405194855260208501521660408301526060820152a3565b935091906020843d60201161165d575b8161164360209383610e08565b810103126103d55792519290916001600160401b036115b7565b3d9150611636565b82516001600160a01b0316845288945060209384019390920191600101611521565b82518452889450602093840193909201916001016114f6565b60ff60a01b1916600160a01b176001909601959095556040519081529293507fd383b19a4867e09bbf9767c7f0a951fcff6b35fed71a95bc3d33ac7d73d0e4f292602092509050a2565b93506001600160401b036116fe8284610f46565b16936113b6565b82546001600160a01b03168452602090930192600192830192016112f0565b84548352600194850194869450602090930192016112ba565b5f525f60205260405f209060018060a01b038254161561175957565b637bc98d7360e11b5f5260045ffdfea2646970667358221220fc508e9b897de2d296409910aec8911e64fa8b5bbb240ba9cd0e0b64379a57a864736f6c634300081e0033",
}

// Endowment is an auto generated Go binding around an Ethereum contract.
type Endowment struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Endowment) GetABI() abi.ABI {
	return c.abi
}

// NewEndowment creates a new instance of Endowment.
func NewEndowment() *Endowment {
	parsed, err := EndowmentMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Endowment{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Endowment) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address market_, uint64 blocksPerYear_) returns()
func (endowment *Endowment) PackConstructor(market_ common.Address, blocksPerYear_ uint64) []byte {
	enc, err := endowment.abi.Pack("", market_, blocksPerYear_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXDECLINEPPM is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x11df013a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_DECLINE_PPM() view returns(uint256)
func (endowment *Endowment) PackMAXDECLINEPPM() []byte {
	enc, err := endowment.abi.Pack("MAX_DECLINE_PPM")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXDECLINEPPM is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x11df013a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_DECLINE_PPM() view returns(uint256)
func (endowment *Endowment) TryPackMAXDECLINEPPM() ([]byte, error) {
	return endowment.abi.Pack("MAX_DECLINE_PPM")
}

// UnpackMAXDECLINEPPM is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x11df013a.
//
// Solidity: function MAX_DECLINE_PPM() view returns(uint256)
func (endowment *Endowment) UnpackMAXDECLINEPPM(data []byte) (*big.Int, error) {
	out, err := endowment.abi.Unpack("MAX_DECLINE_PPM", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMINDECLINEPPM is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa314772a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MIN_DECLINE_PPM() view returns(uint256)
func (endowment *Endowment) PackMINDECLINEPPM() []byte {
	enc, err := endowment.abi.Pack("MIN_DECLINE_PPM")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMINDECLINEPPM is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa314772a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MIN_DECLINE_PPM() view returns(uint256)
func (endowment *Endowment) TryPackMINDECLINEPPM() ([]byte, error) {
	return endowment.abi.Pack("MIN_DECLINE_PPM")
}

// UnpackMINDECLINEPPM is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa314772a.
//
// Solidity: function MIN_DECLINE_PPM() view returns(uint256)
func (endowment *Endowment) UnpackMINDECLINEPPM(data []byte) (*big.Int, error) {
	out, err := endowment.abi.Unpack("MIN_DECLINE_PPM", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBlocksPerYear is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa385fb96.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function blocksPerYear() view returns(uint64)
func (endowment *Endowment) PackBlocksPerYear() []byte {
	enc, err := endowment.abi.Pack("blocksPerYear")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBlocksPerYear is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa385fb96.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function blocksPerYear() view returns(uint64)
func (endowment *Endowment) TryPackBlocksPerYear() ([]byte, error) {
	return endowment.abi.Pack("blocksPerYear")
}

// UnpackBlocksPerYear is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa385fb96.
//
// Solidity: function blocksPerYear() view returns(uint64)
func (endowment *Endowment) UnpackBlocksPerYear(data []byte) (uint64, error) {
	out, err := endowment.abi.Unpack("blocksPerYear", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackCreate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3e5cb13d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function create((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p, uint32 declinePpm) payable returns(bytes32 id)
func (endowment *Endowment) PackCreate(p IStorageMarketRequestParams, declinePpm uint32) []byte {
	enc, err := endowment.abi.Pack("create", p, declinePpm)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3e5cb13d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function create((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p, uint32 declinePpm) payable returns(bytes32 id)
func (endowment *Endowment) TryPackCreate(p IStorageMarketRequestParams, declinePpm uint32) ([]byte, error) {
	return endowment.abi.Pack("create", p, declinePpm)
}

// UnpackCreate is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3e5cb13d.
//
// Solidity: function create((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p, uint32 declinePpm) payable returns(bytes32 id)
func (endowment *Endowment) UnpackCreate(data []byte) ([32]byte, error) {
	out, err := endowment.abi.Unpack("create", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDealOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x310ef066.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function dealOf(bytes32 ) view returns(bytes32)
func (endowment *Endowment) PackDealOf(arg0 [32]byte) []byte {
	enc, err := endowment.abi.Pack("dealOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDealOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x310ef066.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function dealOf(bytes32 ) view returns(bytes32)
func (endowment *Endowment) TryPackDealOf(arg0 [32]byte) ([]byte, error) {
	return endowment.abi.Pack("dealOf", arg0)
}

// UnpackDealOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x310ef066.
//
// Solidity: function dealOf(bytes32 ) view returns(bytes32)
func (endowment *Endowment) UnpackDealOf(data []byte) ([32]byte, error) {
	out, err := endowment.abi.Unpack("dealOf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGetDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51a6fad5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getDeal(bytes32 id) view returns((address,uint64,uint64,uint64,uint32,bool,uint256,uint256,uint256,uint256,bytes32))
func (endowment *Endowment) PackGetDeal(id [32]byte) []byte {
	enc, err := endowment.abi.Pack("getDeal", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51a6fad5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getDeal(bytes32 id) view returns((address,uint64,uint64,uint64,uint32,bool,uint256,uint256,uint256,uint256,bytes32))
func (endowment *Endowment) TryPackGetDeal(id [32]byte) ([]byte, error) {
	return endowment.abi.Pack("getDeal", id)
}

// UnpackGetDeal is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x51a6fad5.
//
// Solidity: function getDeal(bytes32 id) view returns((address,uint64,uint64,uint64,uint32,bool,uint256,uint256,uint256,uint256,bytes32))
func (endowment *Endowment) UnpackGetDeal(data []byte) (EndowmentDeal, error) {
	out, err := endowment.abi.Unpack("getDeal", data)
	if err != nil {
		return *new(EndowmentDeal), err
	}
	out0 := *abi.ConvertType(out[0], new(EndowmentDeal)).(*EndowmentDeal)
	return out0, nil
}

// PackMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x80f55605.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function market() view returns(address)
func (endowment *Endowment) PackMarket() []byte {
	enc, err := endowment.abi.Pack("market")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x80f55605.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function market() view returns(address)
func (endowment *Endowment) TryPackMarket() ([]byte, error) {
	return endowment.abi.Pack("market")
}

// UnpackMarket is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x80f55605.
//
// Solidity: function market() view returns(address)
func (endowment *Endowment) UnpackMarket(data []byte) (common.Address, error) {
	out, err := endowment.abi.Unpack("market", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaffed0e0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nonce() view returns(uint256)
func (endowment *Endowment) PackNonce() []byte {
	enc, err := endowment.abi.Pack("nonce")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaffed0e0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nonce() view returns(uint256)
func (endowment *Endowment) TryPackNonce() ([]byte, error) {
	return endowment.abi.Pack("nonce")
}

// UnpackNonce is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaffed0e0.
//
// Solidity: function nonce() view returns(uint256)
func (endowment *Endowment) UnpackNonce(data []byte) (*big.Int, error) {
	out, err := endowment.abi.Unpack("nonce", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPriceAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ccd4f7c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function priceAt(bytes32 id, uint256 blockNumber) view returns(uint256)
func (endowment *Endowment) PackPriceAt(id [32]byte, blockNumber *big.Int) []byte {
	enc, err := endowment.abi.Pack("priceAt", id, blockNumber)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPriceAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ccd4f7c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function priceAt(bytes32 id, uint256 blockNumber) view returns(uint256)
func (endowment *Endowment) TryPackPriceAt(id [32]byte, blockNumber *big.Int) ([]byte, error) {
	return endowment.abi.Pack("priceAt", id, blockNumber)
}

// UnpackPriceAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7ccd4f7c.
//
// Solidity: function priceAt(bytes32 id, uint256 blockNumber) view returns(uint256)
func (endowment *Endowment) UnpackPriceAt(data []byte) (*big.Int, error) {
	out, err := endowment.abi.Unpack("priceAt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRenew is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e32762d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renew(bytes32 id) returns()
func (endowment *Endowment) PackRenew(id [32]byte) []byte {
	enc, err := endowment.abi.Pack("renew", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenew is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e32762d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renew(bytes32 id) returns()
func (endowment *Endowment) TryPackRenew(id [32]byte) ([]byte, error) {
	return endowment.abi.Pack("renew", id)
}

// PackRequired is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76af31c5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function required((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p, uint32 declinePpm) view returns(uint256)
func (endowment *Endowment) PackRequired(p IStorageMarketRequestParams, declinePpm uint32) []byte {
	enc, err := endowment.abi.Pack("required", p, declinePpm)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequired is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76af31c5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function required((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p, uint32 declinePpm) view returns(uint256)
func (endowment *Endowment) TryPackRequired(p IStorageMarketRequestParams, declinePpm uint32) ([]byte, error) {
	return endowment.abi.Pack("required", p, declinePpm)
}

// UnpackRequired is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x76af31c5.
//
// Solidity: function required((bytes,bytes,uint64,uint32,uint32,uint256[],address[],uint64,uint64,uint64,uint256,uint256) p, uint32 declinePpm) view returns(uint256)
func (endowment *Endowment) UnpackRequired(data []byte) (*big.Int, error) {
	out, err := endowment.abi.Unpack("required", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackUnattributed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1efc0f74.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unattributed() view returns(uint256)
func (endowment *Endowment) PackUnattributed() []byte {
	enc, err := endowment.abi.Pack("unattributed")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnattributed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1efc0f74.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unattributed() view returns(uint256)
func (endowment *Endowment) TryPackUnattributed() ([]byte, error) {
	return endowment.abi.Pack("unattributed")
}

// UnpackUnattributed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1efc0f74.
//
// Solidity: function unattributed() view returns(uint256)
func (endowment *Endowment) UnpackUnattributed(data []byte) (*big.Int, error) {
	out, err := endowment.abi.Unpack("unattributed", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// EndowmentDealCreated represents a DealCreated event raised by the Endowment contract.
type EndowmentDealCreated struct {
	DealId     [32]byte
	Owner      common.Address
	Endowment  *big.Int
	Required   *big.Int
	DeclinePpm uint32
	Raw        *types.Log // Blockchain specific contextual infos
}

const EndowmentDealCreatedEventName = "DealCreated"

// ContractEventName returns the user-defined event name.
func (EndowmentDealCreated) ContractEventName() string {
	return EndowmentDealCreatedEventName
}

// UnpackDealCreatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DealCreated(bytes32 indexed dealId, address indexed owner, uint256 endowment, uint256 required, uint32 declinePpm)
func (endowment *Endowment) UnpackDealCreatedEvent(log *types.Log) (*EndowmentDealCreated, error) {
	event := "DealCreated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != endowment.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EndowmentDealCreated)
	if len(log.Data) > 0 {
		if err := endowment.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range endowment.abi.Events[event].Inputs {
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

// EndowmentDealExhausted represents a DealExhausted event raised by the Endowment contract.
type EndowmentDealExhausted struct {
	DealId  [32]byte
	Balance *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const EndowmentDealExhaustedEventName = "DealExhausted"

// ContractEventName returns the user-defined event name.
func (EndowmentDealExhausted) ContractEventName() string {
	return EndowmentDealExhaustedEventName
}

// UnpackDealExhaustedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DealExhausted(bytes32 indexed dealId, uint256 balance)
func (endowment *Endowment) UnpackDealExhaustedEvent(log *types.Log) (*EndowmentDealExhausted, error) {
	event := "DealExhausted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != endowment.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EndowmentDealExhausted)
	if len(log.Data) > 0 {
		if err := endowment.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range endowment.abi.Events[event].Inputs {
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

// EndowmentTermSettled represents a TermSettled event raised by the Endowment contract.
type EndowmentTermSettled struct {
	DealId    [32]byte
	RequestId [32]byte
	Refund    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const EndowmentTermSettledEventName = "TermSettled"

// ContractEventName returns the user-defined event name.
func (EndowmentTermSettled) ContractEventName() string {
	return EndowmentTermSettledEventName
}

// UnpackTermSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TermSettled(bytes32 indexed dealId, bytes32 indexed requestId, uint256 refund)
func (endowment *Endowment) UnpackTermSettledEvent(log *types.Log) (*EndowmentTermSettled, error) {
	event := "TermSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != endowment.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EndowmentTermSettled)
	if len(log.Data) > 0 {
		if err := endowment.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range endowment.abi.Events[event].Inputs {
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

// EndowmentTermStarted represents a TermStarted event raised by the Endowment contract.
type EndowmentTermStarted struct {
	DealId         [32]byte
	RequestId      [32]byte
	Term           uint64
	PricePerPeriod *big.Int
	Periods        uint64
	Escrow         *big.Int
	Raw            *types.Log // Blockchain specific contextual infos
}

const EndowmentTermStartedEventName = "TermStarted"

// ContractEventName returns the user-defined event name.
func (EndowmentTermStarted) ContractEventName() string {
	return EndowmentTermStartedEventName
}

// UnpackTermStartedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TermStarted(bytes32 indexed dealId, bytes32 indexed requestId, uint64 term, uint256 pricePerPeriod, uint64 periods, uint256 escrow)
func (endowment *Endowment) UnpackTermStartedEvent(log *types.Log) (*EndowmentTermStarted, error) {
	event := "TermStarted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != endowment.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EndowmentTermStarted)
	if len(log.Data) > 0 {
		if err := endowment.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range endowment.abi.Events[event].Inputs {
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
func (endowment *Endowment) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], endowment.abi.Errors["Exhausted"].ID.Bytes()[:4]) {
		return endowment.UnpackExhaustedError(raw[4:])
	}
	if bytes.Equal(raw[:4], endowment.abi.Errors["InvalidParams"].ID.Bytes()[:4]) {
		return endowment.UnpackInvalidParamsError(raw[4:])
	}
	if bytes.Equal(raw[:4], endowment.abi.Errors["TermNotOver"].ID.Bytes()[:4]) {
		return endowment.UnpackTermNotOverError(raw[4:])
	}
	if bytes.Equal(raw[:4], endowment.abi.Errors["UnknownDeal"].ID.Bytes()[:4]) {
		return endowment.UnpackUnknownDealError(raw[4:])
	}
	if bytes.Equal(raw[:4], endowment.abi.Errors["WrongPayment"].ID.Bytes()[:4]) {
		return endowment.UnpackWrongPaymentError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// EndowmentExhausted represents a Exhausted error raised by the Endowment contract.
type EndowmentExhausted struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Exhausted()
func EndowmentExhaustedErrorID() common.Hash {
	return common.HexToHash("0x6f3d6c4f0498b94458f0f39fc6a246f6ad11a271b7eb01baaa9ef6b355ddc923")
}

// UnpackExhaustedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Exhausted()
func (endowment *Endowment) UnpackExhaustedError(raw []byte) (*EndowmentExhausted, error) {
	out := new(EndowmentExhausted)
	if err := endowment.abi.UnpackIntoInterface(out, "Exhausted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EndowmentInvalidParams represents a InvalidParams error raised by the Endowment contract.
type EndowmentInvalidParams struct {
	Reason string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidParams(string reason)
func EndowmentInvalidParamsErrorID() common.Hash {
	return common.HexToHash("0xa8c278dd678025fcd1ba899b5c9701b4f3cde35c26cff3abbdc63ff5ceeeb107")
}

// UnpackInvalidParamsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidParams(string reason)
func (endowment *Endowment) UnpackInvalidParamsError(raw []byte) (*EndowmentInvalidParams, error) {
	out := new(EndowmentInvalidParams)
	if err := endowment.abi.UnpackIntoInterface(out, "InvalidParams", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EndowmentTermNotOver represents a TermNotOver error raised by the Endowment contract.
type EndowmentTermNotOver struct {
	FinishBlock *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TermNotOver(uint256 finishBlock)
func EndowmentTermNotOverErrorID() common.Hash {
	return common.HexToHash("0x082bf853609b4047565c82c21e16638854c7c97942310bb4ff3953d58e30c808")
}

// UnpackTermNotOverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TermNotOver(uint256 finishBlock)
func (endowment *Endowment) UnpackTermNotOverError(raw []byte) (*EndowmentTermNotOver, error) {
	out := new(EndowmentTermNotOver)
	if err := endowment.abi.UnpackIntoInterface(out, "TermNotOver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EndowmentUnknownDeal represents a UnknownDeal error raised by the Endowment contract.
type EndowmentUnknownDeal struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownDeal()
func EndowmentUnknownDealErrorID() common.Hash {
	return common.HexToHash("0xf7931ae618279b7edd20991bd1a192b3de297ec16d7c7e1d6aa627996334d35c")
}

// UnpackUnknownDealError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownDeal()
func (endowment *Endowment) UnpackUnknownDealError(raw []byte) (*EndowmentUnknownDeal, error) {
	out := new(EndowmentUnknownDeal)
	if err := endowment.abi.UnpackIntoInterface(out, "UnknownDeal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EndowmentWrongPayment represents a WrongPayment error raised by the Endowment contract.
type EndowmentWrongPayment struct {
	Sent *big.Int
	Need *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongPayment(uint256 sent, uint256 need)
func EndowmentWrongPaymentErrorID() common.Hash {
	return common.HexToHash("0x0dd32d1c3ef0af2f42e38a7f633c5c154da0aa1d3a58e8dcd04bcd6fb310ac9d")
}

// UnpackWrongPaymentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongPayment(uint256 sent, uint256 need)
func (endowment *Endowment) UnpackWrongPaymentError(raw []byte) (*EndowmentWrongPayment, error) {
	out := new(EndowmentWrongPayment)
	if err := endowment.abi.UnpackIntoInterface(out, "WrongPayment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

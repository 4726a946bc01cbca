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
	TermEscrow  *big.Int
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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIStorageMarket\",\"name\":\"market_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"blocksPerYear_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"Exhausted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"InvalidParams\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"finishBlock\",\"type\":\"uint256\"}],\"name\":\"TermNotOver\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"UnknownDeal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"need\",\"type\":\"uint256\"}],\"name\":\"WrongPayment\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"endowment\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"required\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"}],\"name\":\"DealCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"DealExhausted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refund\",\"type\":\"uint256\"}],\"name\":\"TermSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"dealId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"requestId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"term\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"periods\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"}],\"name\":\"TermStarted\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_DECLINE_PPM\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIN_DECLINE_PPM\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"blocksPerYear\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"manifestCid\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"k\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"m\",\"type\":\"uint32\"},{\"internalType\":\"uint256[]\",\"name\":\"slotRoots\",\"type\":\"uint256[]\"},{\"internalType\":\"address[]\",\"name\":\"hosts\",\"type\":\"address[]\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofProbability\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"internalType\":\"structIStorageMarket.RequestParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"}],\"name\":\"create\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"dealOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"getDeal\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"created\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"termPeriods\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"terms\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"exhausted\",\"type\":\"bool\"},{\"internalType\":\"uint256\",\"name\":\"basePrice\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"spent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"current\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"termEscrow\",\"type\":\"uint256\"}],\"internalType\":\"structEndowment.Deal\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"market\",\"outputs\":[{\"internalType\":\"contractIStorageMarket\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nonce\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"priceAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"renew\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes\",\"name\":\"rootCid\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"manifestCid\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"k\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"m\",\"type\":\"uint32\"},{\"internalType\":\"uint256[]\",\"name\":\"slotRoots\",\"type\":\"uint256[]\"},{\"internalType\":\"address[]\",\"name\":\"hosts\",\"type\":\"address[]\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"proofProbability\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"internalType\":\"structIStorageMarket.RequestParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"internalType\":\"uint32\",\"name\":\"declinePpm\",\"type\":\"uint32\"}],\"name\":\"required\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unattributed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "Endowment",
	Bin: "0x60c03461010e57601f611b1938819003918201601f19168301916001600160401b0383118484101761011257808492604094855283398101031261010e5780516001600160a01b0381169182820361010e5760200151916001600160401b0383169081840361010e5715908115610105575b506100bf5760805260a0526040516119f290816101278239608051818181601c015281816101e9015281816106da01526117d3015260a05181818161015e015281816111de01526112c20152f35b60405163a8c278dd60e01b815260206004820152601960248201527f6d61726b6574206f7220626c6f636b73207065722079656172000000000000006044820152606490fd5b9050155f610071565b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610092575b50361561001a575f80fd5b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316330361004c57005b60405163a8c278dd60e01b815260206004820152601d60248201527f7061796d656e747320636f6d652066726f6d20746865206d61726b65740000006044820152606490fd5b5f905f3560e01c90816311df013a14610fda575080631efc0f7414610fbd578063310ef06614610f935780633e5cb13d1461090757806351a6fad51461074b57806376af31c5146107325780637ccd4f7c1461070957806380f55605146106c55780638e32762d1461019e578063a314772a14610182578063a385fb961461013e5763affed0e00361000f573461013b578060031936011261013b576020600254604051908152f35b80fd5b503461013b578060031936011261013b5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b503461013b578060031936011261013b57602060405160648152f35b50346105f45760203660031901126105f457600435906101bd82611991565b9160ff600184015460a01c166106b6576006830180546040516306a1d1a760e31b8152600481018290527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316959291906020816024818a5afa5f9181610682575b50610668575b506040516327e235e360e01b815230600482015295602087602481845afa96871561065d575f97610629575b505f91813b156105f457604051906303be8fa760e21b825260048201525f8160248183865af19081610614575b5061060b575b6040516327e235e360e01b815230600482015291602083602481855afa9283156106005787936105c8575b5082610572575b1561035a57507f0c5842c4bc01f1d2169d0b27632ecd6c8352887a0057a2325c73e76d24774a4f60206103099361030e846102fd6103579a9b8a9761127c565b9687915b600454611187565b61127c565b60045560038601610320868254611187565b905560058601610331868254611187565b90555493604051908152a36040519161034b602084611056565b8483525f368137611486565b80f35b95600784015496858752600160205261039c63ffffffff600260408a20015460401c16878952600160205263ffffffff600260408b20015460601c1690611187565b879185545b82841061043f57505050509184916103579697936004546103c28282611187565b86116103fc575b50507f0c5842c4bc01f1d2169d0b27632ecd6c8352887a0057a2325c73e76d24774a4f9161030e85610309602094610301565b61030995506020926104337f0c5842c4bc01f1d2169d0b27632ecd6c8352887a0057a2325c73e76d24774a4f959361030e93611187565b965092508193506103c9565b909192996040516368752a8160e01b81528260048201528b602482015260c081604481875afa908115610567578b9161048f575b5060019160a06104859201519061127c565b9a019291906103a1565b905060c0813d821161055f575b816104a960c09383611056565b8101031261055b576040519060c082018281106001600160401b038211176105475760405280516001600160a01b038116810361054357825260208101516001600160401b0381168103610543578260a06001959381936020610485970152610514604082016113b3565b6040840152610525606082016113b3565b60608401526080810151608084015201518282015292505091610473565b8c80fd5b634e487b7160e01b8d52604160045260248dfd5b8a80fd5b3d915061049c565b6040513d8d823e3d90fd5b813b156105b957604051633ccfd60b60e01b8152878160048183875af180156105bd579088916105a4575b50506102bd565b816105ae91611056565b6105b957865f61059d565b8680fd5b6040513d8a823e3d90fd5b9092506020813d6020116105f8575b816105e460209383611056565b810103126105f45751915f6102b6565b5f80fd5b3d91506105d7565b6040513d89823e3d90fd5b6001915061028b565b6106219197505f90611056565b5f955f610285565b9096506020813d602011610655575b8161064560209383611056565b810103126105f45751955f610258565b3d9150610638565b6040513d5f823e3d90fd5b8043101561022c5763082bf85360e01b5f5260045260245ffd5b9091506020813d6020116106ae575b8161069e60209383611056565b810103126105f45751905f610226565b3d9150610691565b636f3d6c4f60e01b5f5260045ffd5b346105f4575f3660031901126105f4576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346105f45760403660031901126105f457602061072a602435600435611289565b604051908152f35b346105f457602061072a61074536610ff5565b906111b2565b346105f45760203660031901126105f4576040516107688161103a565b5f8152602081015f9052604081015f9052606081015f9052608081015f905260a081015f905260c081015f905260e081015f905261010081015f905261012081015f905261014081015f9052610160015f90526004356107c790611991565b6040516107d38161103a565b815491600160a01b60019003831692838352602083019060a01c6001600160401b03168152600182015460408401906001600160401b038116825260608501908060401c6001600160401b0316825260808601908060801c63ffffffff16825260a087019060a01c60ff161515815260028601549160c0880192835260038701549360e089019485526004880154956101008a019687526005890154976101208b0198895260068a0154996101408c019a8b52600701549a610160019a8b526040519b8c52516001600160401b031660208c0152516001600160401b031660408b0152516001600160401b031660608a01525163ffffffff16608089015251151560a08801525160c08701525160e08601525161010085015251610120840152516101408301525161016082015261018090f35b61091036610ff5565b9063ffffffff821690606482108015610f87575b610f5457610140810135928315610f1d5761093f81836111b2565b91823410610f06576002545f198114610ef25760018101600255604051602081019146835230604083015233606083015260808201526080815261098460a082611056565b5190205f81815260208190526040902080546001600160e01b0319163367ffffffffffffffff60a01b1916174360a01b67ffffffffffffffff60a01b1617815594909360e08301939091906109d885611077565b6001888101805473ffffffff0000000000000000ffffffffffffffff19166001600160401b039093169290921760809390931b63ffffffff60801b16929092179055600287018890553460038801555f86815260209190915260409020610a3f848061108b565b906001600160401b038211610d55578190610a5a84546110bd565b601f8111610ec2575b505f90601f8311600114610e5b575f92610e50575b50508160011b915f199060031b1c19161781555b60018101610a9d602086018661108b565b906001600160401b038211610d55578190610ab884546110bd565b601f8111610e15575b505f90601f8311600114610dae575f92610da3575b50508160011b915f199060031b1c19161790555b600281016001600160401b03610b0260408701611077565b166001600160401b0319825416178155610b1e6060860161110b565b81546bffffffff000000000000000063ffffffff60601b610b4160808a0161110b565b60601b169260401b169067ffffffffffffffff60401b19161717905560038101610b6e60a086018661111c565b91906001600160401b038311610d5557600160401b8311610d5557610b9883835481855584611164565b905f5260205f205f5b838110610d8f5750505050600481019760c0850195610bc0878761111c565b906001600160401b038211610d5557600160401b8211610d5557610bea828d805490828155611164565b9a5f5260205f209a5f905b828210610d6957505050610ce6979899506001600160401b03610c1b6005850192611077565b166001600160401b0319825416178155610c68610c3b6101008801611077565b82546fffffffffffffffff0000000000000000191660409190911b67ffffffffffffffff60401b16178255565b610c756101208701611077565b8154906001600160401b0360801b9060801b16906001600160401b0360801b1916179055600682015560076101608501359101556040519134835260208301526040820152847fdddcbd8d3a160012cc4efa75fb29f5603ac91f66bfb182b88c8ca34ea2f4693960603393a361111c565b92906001600160401b038411610d55578360051b906020820194610d0d6040519687611056565b855260208501918101903682116105f457915b818310610d355760208561072a888783611486565b82356001600160a01b03811681036105f457815260209283019201610d20565b634e487b7160e01b5f52604160045260245ffd5b8035916001600160a01b03831683036105f4578d92816020600194019401550190610bf5565b600190602084359401938184015501610ba1565b013590508b80610ad6565b909150601f19831691845f5260205f20925f5b818110610dfd5750908460019594939210610de4575b505050811b019055610aea565b01355f19600384901b60f8161c191690558b8080610dd7565b91936020600181928787013581550195019201610dc1565b610e4090855f5260205f20601f850160051c81019160208610610e46575b601f0160051c01906110f5565b8c610ac1565b9091508190610e33565b013590508a80610a78565b909150601f19831691845f5260205f20925f5b818110610eaa5750908460019594939210610e91575b505050811b018155610a8c565b01355f19600384901b60f8161c191690558a8080610e84565b91936020600181928787013581550195019201610e6e565b610eec90855f5260205f20601f850160051c81019160208610610e4657601f0160051c01906110f5565b8b610a63565b634e487b7160e01b5f52601160045260245ffd5b82630374cb4760e21b5f523460045260245260445ffd5b60405163a8c278dd60e01b815260206004820152600e60248201526d1c1c9a58d954195c94195c9a5bd960921b6044820152606490fd5b60405163a8c278dd60e01b815260206004820152600a6024820152696465636c696e6550706d60b01b6044820152606490fd5b506207a1208211610924565b346105f45760203660031901126105f4576004355f526003602052602060405f2054604051908152f35b346105f4575f3660031901126105f4576020600454604051908152f35b346105f4575f3660031901126105f457806207a12060209252f35b60406003198201126105f457600435906001600160401b0382116105f4576101809082900360031901126105f4576004019060243563ffffffff811681036105f45790565b61018081019081106001600160401b03821117610d5557604052565b90601f801991011681019081106001600160401b03821117610d5557604052565b356001600160401b03811681036105f45790565b903590601e19813603018212156105f457018035906001600160401b0382116105f4576020019181360383136105f457565b90600182811c921680156110eb575b60208310146110d757565b634e487b7160e01b5f52602260045260245ffd5b91607f16916110cc565b818110611100575050565b5f81556001016110f5565b3563ffffffff811681036105f45790565b903590601e19813603018212156105f457018035906001600160401b0382116105f457602001918160051b360383136105f457565b81810292918115918404141715610ef257565b9181811061117157505050565b611185925f5260205f2091820191016110f5565b565b91908201809211610ef257565b811561119e570490565b634e487b7160e01b5f52601260045260245ffd5b6001600160401b036111c76101008301611077565b1690811561119e576001600160401b0361124992817f0000000000000000000000000000000000000000000000000000000000000000160416908115611273575b8061014061123c63ffffffff6112236060611244960161110b565b1663ffffffff6112356080860161110b565b1690611187565b910135611151565b611151565b620f4240810290808204620f42401490151715610ef25763ffffffff611270921690611194565b90565b60019150611208565b91908203918211610ef257565b61129290611991565b906001600160401b03825460a01c16908181115f146113aa576112e8916112b89161127c565b6001600160401b037f00000000000000000000000000000000000000000000000000000000000000001690611194565b905b63ffffffff6001600283015492015460801c169182620f42400392620f42408411610ef25764e8d4a51000840293840464e8d4a510001490620f4240141715610ef257670de0b6b3a764000092815b61135e575050670de0b6b3a76400009161135291611151565b04806112705750600190565b600180831614611388575b61137c81670de0b6b3a764000092611151565b049060011c9081611339565b9261137c670de0b6b3a76400006113a0868294611151565b0494915050611369565b50505f906112ea565b519063ffffffff821682036105f457565b9060405191825f8254926113d7846110bd565b808452936001811690811561144057506001146113fc575b5061118592500383611056565b90505f9291925260205f20905f915b818310611424575050906020611185928201015f6113ef565b602091935080600191548385890101520191019091849261140b565b90506020925061118594915060ff191682840152151560051b8201015f6113ef565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b9091815f52600160205260405f2090604051916114a28361103a565b6114ab816113c4565b83526114b9600182016113c4565b602084015263ffffffff60028201546001600160401b0381166040860152818160401c16606086015260601c16608084015260038101604051808260208294549384815201905f5260205f20925f5b81811061197857505061151d92500382611056565b60a0840152600481016040519081602082549182815201915f5260205f20905f5b81811061195957505050918161155c6007936115db96950382611056565b60c08601526001600160401b03600582015481811660e0880152818160401c1661010088015260801c16610120860152600681015461014086015201546101608401526115be63ffffffff60608501511663ffffffff60808601511690611187565b906115c94386611289565b908161014086015260c0850152611151565b9060018401546001600160401b038116926115f68482611151565b91600387015480931161193e575b6001600160401b038516156118f4575061163a611641916001600160401b03861660e08601526001600160401b03861690611151565b809261127c565b600386015560048501611655828254611187565b90558060078601556001600160401b03600186015460401c166001600160401b038114610ef25760016116af9101600187019067ffffffffffffffff60401b82549160401b169067ffffffffffffffff60401b1916179055565b604051926393fc246760e01b845260206004850152836116f66116e0855161018060248501526101a4840190611462565b6020860151838203602319016044850152611462565b6001600160401b03604086015116606483015263ffffffff606086015116608483015263ffffffff60808601511660a483015260a0850151906023198382030160c4840152602080835192838152019201905f5b8181106118db5750505060c0850151906023198382030160e4840152602080835192838152019201905f5b8181106118b95750505060e08501516001600160401b039081166101048401526101008601518116610124840152610120860151166101448301526101408501516101648301526101608501516101848301526020919081900381857f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165af193841561065d575f9461187a575b50906001600160401b03608093926101408260017f41a76cfec55131755c059df7d900b36dde2b219e4f1f6fa2975a1fea44aff7f09860068c01908082555f5260036020528a60405f2055549a015460401c1694015160405194855260208501521660408301526060820152a3565b935091906020843d6020116118b1575b8161189760209383611056565b810103126105f45792519290916001600160401b0361180b565b3d915061188a565b82516001600160a01b0316845288945060209384019390920191600101611775565b825184528894506020938401939092019160010161174a565b60ff60a01b1916600160a01b176001909601959095556040519081529293507fd383b19a4867e09bbf9767c7f0a951fcff6b35fed71a95bc3d33ac7d73d0e4f292602092509050a2565b93506001600160401b036119528284611194565b1693611604565b82546001600160a01b031684526020909301926001928301920161153e565b8454835260019485019486945060209093019201611508565b5f525f60205260405f209060018060a01b03825416156119ad57565b637bc98d7360e11b5f5260045ffdfea26469706673582212208e3afb28d413e3cea26304c7abc498b9ad6bb7904022a36ed01cfd21a057193d64736f6c634300081e0033",
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
// Solidity: function getDeal(bytes32 id) view returns((address,uint64,uint64,uint64,uint32,bool,uint256,uint256,uint256,uint256,bytes32,uint256))
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
// Solidity: function getDeal(bytes32 id) view returns((address,uint64,uint64,uint64,uint32,bool,uint256,uint256,uint256,uint256,bytes32,uint256))
func (endowment *Endowment) TryPackGetDeal(id [32]byte) ([]byte, error) {
	return endowment.abi.Pack("getDeal", id)
}

// UnpackGetDeal is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x51a6fad5.
//
// Solidity: function getDeal(bytes32 id) view returns((address,uint64,uint64,uint64,uint32,bool,uint256,uint256,uint256,uint256,bytes32,uint256))
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

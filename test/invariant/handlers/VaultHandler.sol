// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test } from "forge-std/Test.sol";

import { AuthorshipRegistry } from "../../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../../contracts/RoyaltyVault.sol";
import { Authorship } from "../../../contracts/types/DataTypes.sol";
import { Vault } from "../../../contracts/types/VaultTypes.sol";
import { ERC20Mock } from "../../mocks/ERC20Mock.sol";

/// @notice Drives the vault with bounded deposits, claims, unit changes, time, registrations, consent changes and
/// direct donations, and keeps the ghost totals the invariants compare against.
contract VaultHandler is Test {
    uint256 internal constant SCALE = 1e9;
    uint256 public constant IDS = 6;

    AuthorshipRegistry public registry;
    RoyaltyVault public vault;
    address[] public tokens; // tokens[i] is the token of pools[i]; address(0) is ETH
    uint256[] public pools;
    bytes32[IDS] public ids;
    address[3] public authors;
    address public provider;

    /// @dev Per token: what the vault received from deposits, what it paid or credited to claimants, the fees.
    mapping(address token => uint256 amount) public ghostReceived;
    mapping(address token => uint256 amount) public ghostClaimed;
    mapping(address token => uint256 amount) public ghostFees;

    /// @dev Per (pool index, id index): the scaled amount owed after the last action.
    mapping(uint256 poolIndex => mapping(uint256 idIndex => uint256 owed)) public ghostOwed;
    bool public owedDecreasedWithoutClaim;

    mapping(bytes4 selector => uint256 calls) public calls;

    constructor(AuthorshipRegistry registry_, RoyaltyVault vault_, address[] memory tokens_, uint256[] memory pools_) {
        registry = registry_;
        vault = vault_;
        tokens = tokens_;
        pools = pools_;
        provider = makeAddr("provider");
        for (uint256 i = 0; i < IDS; ++i) ids[i] = keccak256(abi.encode("contribution", i));
        for (uint256 i = 0; i < 3; ++i) authors[i] = makeAddr(string(abi.encode("author", i)));
        vm.deal(provider, type(uint128).max);
        for (uint256 t = 0; t < tokens_.length; ++t) {
            if (tokens_[t] == address(0)) continue;
            ERC20Mock(tokens_[t]).mint(provider, type(uint128).max);
            vm.prank(provider);
            ERC20Mock(tokens_[t]).approve(address(vault_), type(uint256).max);
        }
    }

    function poolCount() external view returns (uint256) {
        return pools.length;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      GHOSTS
    //////////////////////////////////////////////////////////////////////////*/

    modifier tracked(bytes4 selector) {
        _checkMonotonic();
        calls[selector]++;
        _;
        _recordOwed();
    }

    function _checkMonotonic() internal {
        for (uint256 p = 0; p < pools.length; ++p) {
            for (uint256 i = 0; i < IDS; ++i) {
                if (vault.owedScaled(pools[p], ids[i]) < ghostOwed[p][i]) owedDecreasedWithoutClaim = true;
            }
        }
    }

    function _recordOwed() internal {
        for (uint256 p = 0; p < pools.length; ++p) {
            for (uint256 i = 0; i < IDS; ++i) ghostOwed[p][i] = vault.owedScaled(pools[p], ids[i]);
        }
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      ACTIONS
    //////////////////////////////////////////////////////////////////////////*/

    function deposit(uint256 poolSeed, uint256 amount) external tracked(this.deposit.selector) {
        uint256 p = poolSeed % pools.length;
        address token = tokens[p];
        amount = bound(amount, 1, 1e24);
        (, uint16 feeBps, bool paused) = _config();
        if (paused) return;
        uint256 balanceBefore = _balance(token);
        vm.prank(provider);
        uint256 received = vault.deposit{ value: token == address(0) ? amount : 0 }(pools[p], amount);
        assertEq(_balance(token) - balanceBefore, received, "measured");
        ghostReceived[token] += received;
        ghostFees[token] += (received * feeBps) / 10_000;
    }

    function claim(uint256 poolSeed, uint256 idSeed) external tracked(this.claim.selector) {
        uint256 p = poolSeed % pools.length;
        uint256 i = idSeed % IDS;
        address author = registry.authorOf(ids[i]);
        if (author == address(0) || vault.claimable(pools[p], ids[i]) == 0) return;
        vm.prank(author);
        uint256 amount = vault.claim(pools[p], ids[i], author);
        ghostClaimed[tokens[p]] += amount;
        // A claim is the one action that may lower what a contribution is owed.
        ghostOwed[p][i] = vault.owedScaled(pools[p], ids[i]);
    }

    function setUnits(uint256 poolSeed, uint256 idSeed, uint256 units) external tracked(this.setUnits.selector) {
        uint256 p = poolSeed % pools.length;
        uint256 i = idSeed % IDS;
        units = bound(units, 0, 10_000_000);
        (, , bool paused) = _config();
        if (paused) return;
        if (units != 0 && registry.isRegistered(ids[i]) && !registry.hasTrainingConsent(ids[i])) return;
        bytes32[] memory one = new bytes32[](1);
        one[0] = ids[i];
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = units;
        vm.prank(provider);
        vault.setUnits(pools[p], one, amounts);
    }

    function warp(uint256 seconds_) external tracked(this.warp.selector) {
        vm.warp(block.timestamp + bound(seconds_, 1, 20 days));
    }

    function register(uint256 idSeed, uint256 authorSeed) external tracked(this.register.selector) {
        bytes32 id = ids[idSeed % IDS];
        if (registry.isRegistered(id)) return;
        vm.prank(authors[authorSeed % 3]);
        registry.register(id, uint8(Authorship.Kind.Prompt), "");
    }

    function setConsent(uint256 idSeed, bool consent, uint256 poolSeed) external tracked(this.setConsent.selector) {
        bytes32 id = ids[idSeed % IDS];
        address author = registry.authorOf(id);
        if (author == address(0)) return;
        vm.prank(author);
        registry.setTrainingConsent(id, consent);
        uint256 poolId = pools[poolSeed % pools.length];
        if (!consent && _position(poolId, id).units != 0) vault.removeContribution(poolId, id);
    }

    function donate(uint256 poolSeed, uint256 amount) external tracked(this.donate.selector) {
        address token = tokens[poolSeed % pools.length];
        amount = bound(amount, 1, 1e21);
        if (token == address(0)) {
            // ETH can only be forced in (the vault has no receive function).
            vm.deal(address(vault), address(vault).balance + amount);
        } else {
            vm.prank(provider);
            ERC20Mock(token).transfer(address(vault), amount);
        }
    }

    function setFee(uint256 feeBps, bool pause_) external tracked(this.setFee.selector) {
        address owner = vault.owner();
        vm.startPrank(owner);
        vault.setProtocolFee(uint16(bound(feeBps, 0, 500)), owner);
        (, , bool paused) = _config();
        if (pause_ != paused) pause_ ? vault.pause() : vault.unpause();
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      HELPERS
    //////////////////////////////////////////////////////////////////////////*/

    function _balance(address token) internal view returns (uint256) {
        return token == address(0) ? address(vault).balance : ERC20Mock(token).balanceOf(address(vault));
    }

    function _config() internal view returns (address, uint16, bool) {
        (bool ok, bytes memory data) = address(vault).staticcall(abi.encodeWithSignature("config()"));
        require(ok);
        return abi.decode(data, (address, uint16, bool));
    }

    function _position(uint256 poolId, bytes32 id) internal view returns (Vault.Position memory position) {
        (position, ) = vault.positionOf(poolId, id);
    }
}
